// Converts a TF.js graph model (the MobileNetV2 feature extractor inside npm nsfwjs) to ONNX, with
// no dependency: the ONNX protobuf is written by hand (ir_version 8, opset 13).
//
//   node tfjs-graph-to-onnx.js MODEL_JS SHARD_JS... OUT.onnx
//
// MODEL_JS is the package's model.min.js (a module exporting the model.json object), the shards
// are its group1-shard*.min.js (modules exporting the weights as base64). The ONNX model takes
// input "input" [N, 3, 224, 224], RGB in [0, 1] (planar, unlike TF.js's NHWC) and gives
// "features" [N, 1792] (the backbone's pooled feature vector, the embedding) and
// "probabilities" [N, 5] (the package's own head). Only the ops this graph uses are converted;
// any other is an error naming it.
'use strict';
const fs = require('fs');
const path = require('path');

const [modelJs, ...rest] = process.argv.slice(2);
const out = rest.pop();
if (!modelJs || !out || rest.length === 0) {
  console.error('usage: node tfjs-graph-to-onnx.js MODEL_JS SHARD_JS... OUT.onnx');
  process.exit(2);
}
const model = require(path.resolve(modelJs));
const shards = rest.map((f) => Buffer.from(require(path.resolve(f)), 'base64'));
const weightData = Buffer.concat(shards);

// ---- the weights: uint8-quantised, value = min + scale * q, in TensorFlow's row-major layout
const weights = new Map();
let offset = 0;
for (const group of model.weightsManifest) {
  for (const w of group.weights) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const q = w.quantization;
    if (!q || q.dtype !== 'uint8' || w.dtype !== 'float32') {
      throw new Error(`weight ${w.name}: only uint8-quantised float32 weights are handled`);
    }
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) {
      values[i] = q.min + q.scale * weightData[offset + i];
    }
    offset += count;
    weights.set(w.name, { shape: w.shape, values });
  }
}
if (offset !== weightData.length) {
  throw new Error(`the shards hold ${weightData.length} bytes, the manifest ${offset}`);
}

// ---- a minimal protobuf writer
function varint(n) {
  const bytes = [];
  let v = BigInt(n);
  if (v < 0n) v += 1n << 64n;
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    bytes.push(b);
  } while (v > 0n);
  return Buffer.from(bytes);
}
const key = (field, wire) => varint((field << 3) | wire);
const int = (field, n) => Buffer.concat([key(field, 0), varint(n)]);
const bytes = (field, b) => Buffer.concat([key(field, 2), varint(b.length), b]);
const str = (field, s) => bytes(field, Buffer.from(s, 'utf8'));
const msg = (field, parts) => bytes(field, Buffer.concat(parts));
function float32(field, f) {
  const b = Buffer.alloc(4);
  b.writeFloatLE(f);
  return Buffer.concat([key(field, 5), b]);
}

const FLOAT = 1;
const INT64 = 7;
function tensor(name, dims, values, type = FLOAT) {
  const raw = type === FLOAT ? Buffer.from(new Float32Array(values).buffer)
    : Buffer.from(new BigInt64Array(values.map(BigInt)).buffer);
  return Buffer.concat([...dims.map((d) => int(1, d)), int(2, type), str(8, name), bytes(9, raw)]);
}
const attrInt = (name, v) => Buffer.concat([str(1, name), int(3, v), int(20, 2)]);
const attrInts = (name, vs) => Buffer.concat([str(1, name), ...vs.map((v) => int(8, v)), int(20, 7)]);
const attrStr = (name, s) => Buffer.concat([str(1, name), str(4, s), int(20, 3)]);
function valueInfo(name, dims) {
  const shape = dims.map((d) => msg(1, [typeof d === 'string' ? str(2, d) : int(1, d)]));
  return Buffer.concat([str(1, name), msg(2, [msg(1, [int(1, FLOAT), msg(2, shape)])])]);
}

// ---- the graph
const nodes = [];
const initializers = [];
const renamed = new Map([['input', 'input']]);
let counter = 0;
const id = (base) => `${base}_${counter++}`;
function node(op, inputs, outputs, attrs = []) {
  nodes.push(Buffer.concat([...inputs.map((i) => str(1, i)), ...outputs.map((o) => str(2, o)),
    str(3, id(op.toLowerCase())), str(4, op), ...attrs.map((a) => msg(5, [a]))]));
}
function constant(name, dims, values) {
  initializers.push(tensor(name, dims, values));
  return name;
}
const decode = (b64) => Buffer.from(b64, 'base64').toString();
const ints = (attr) => attr.list.i.map(Number);
constant('relu6_min', [], [0]);
constant('relu6_max', [], [6]);

/** TF's [kh, kw, cin, cout] (or [kh, kw, c, multiplier]) as ONNX's [cout, cin, kh, kw]. */
function convWeights(name, depthwise) {
  const { shape, values } = weights.get(name);
  const [kh, kw, cin, cout] = shape;
  const outChannels = depthwise ? cin * cout : cout;
  const inChannels = depthwise ? 1 : cin;
  const w = new Float32Array(outChannels * inChannels * kh * kw);
  for (let y = 0; y < kh; y++) {
    for (let x = 0; x < kw; x++) {
      for (let i = 0; i < cin; i++) {
        for (let o = 0; o < cout; o++) {
          const v = values[((y * kw + x) * cin + i) * cout + o];
          const oc = depthwise ? i * cout + o : o;
          const ic = depthwise ? 0 : i;
          w[((oc * inChannels + ic) * kh + y) * kw + x] = v;
        }
      }
    }
  }
  return constant(name, [outChannels, inChannels, kh, kw], w);
}

function bias(name) {
  const { shape, values } = weights.get(name);
  return constant(name, shape, values);
}

function fusedConv(n, depthwise) {
  const attrs = n.attr;
  if (decode(attrs.data_format.s) !== 'NHWC') throw new Error(`${n.name}: only NHWC`);
  const ops = attrs.fused_ops.list.s.map(decode);
  if (ops[0] !== 'BiasAdd' || ops.length > 2 || (ops.length === 2 && ops[1] !== 'Relu6')) {
    throw new Error(`${n.name}: fused ops ${ops} are not handled`);
  }
  const strides = ints(attrs.strides);
  const dilations = ints(attrs.dilations);
  const padding = decode(attrs.padding.s);
  const w = convWeights(n.input[1], depthwise);
  const b = bias(n.input[2]);
  const group = depthwise ? weights.get(n.input[1]).shape[2] : 1;
  const convOut = ops.length === 2 ? id('conv') : n.name;
  const kernel = weights.get(n.input[1]).shape.slice(0, 2);
  node('Conv', [renamed.get(n.input[0]), w, b], [convOut], [
    attrInts('kernel_shape', kernel), attrInts('strides', [strides[1], strides[2]]),
    attrInts('dilations', [dilations[1], dilations[2]]), attrInt('group', group),
    attrStr('auto_pad', padding === 'SAME' ? 'SAME_UPPER' : 'VALID')]);
  if (ops.length === 2) {
    node('Clip', [convOut, 'relu6_min', 'relu6_max'], [n.name]);
  }
  renamed.set(n.name, n.name);
}

for (const n of model.modelTopology.node) {
  const input = (i) => renamed.get(n.input[i]) ?? n.input[i];
  switch (n.op) {
    case 'Const':
    case 'Placeholder':
      break;
    case 'Mul':
    case 'Sub': {
      const scalar = n.input.find((i) => weights.has(i));
      const other = n.input.find((i) => !weights.has(i));
      const c = constant(scalar, [], weights.get(scalar).values);
      // x * 2 - 1: the constant is the Mul's first input and the Sub's second; both commute here or keep order
      node(n.op, n.op === 'Mul' ? [renamed.get(other), c] : [renamed.get(other), c], [n.name]);
      renamed.set(n.name, n.name);
      break;
    }
    case '_FusedConv2D':
      fusedConv(n, false);
      break;
    case 'FusedDepthwiseConv2dNative':
      fusedConv(n, true);
      break;
    case 'AddV2':
      node('Add', [input(0), input(1)], [n.name]);
      renamed.set(n.name, n.name);
      break;
    case 'AvgPool': {
      const k = ints(n.attr.ksize);
      const s = ints(n.attr.strides);
      if (decode(n.attr.padding.s) !== 'VALID') throw new Error(`${n.name}: only VALID pooling`);
      node('AveragePool', [input(0)], [n.name], [attrInts('kernel_shape', [k[1], k[2]]),
        attrInts('strides', [s[1], s[2]])]);
      renamed.set(n.name, n.name);
      break;
    }
    case 'Squeeze':
      // NHWC [N,1,1,C] squeezed on 1,2 is NCHW [N,C,1,1] flattened
      node('Flatten', [input(0)], ['features'], [attrInt('axis', 1)]);
      renamed.set(n.name, 'features');
      break;
    case '_FusedMatMul': {
      const ops = n.attr.fused_ops.list.s.map(decode);
      if (ops.join() !== 'BiasAdd' || n.attr.transpose_a.b || n.attr.transpose_b.b) {
        throw new Error(`${n.name}: only MatMul + BiasAdd`);
      }
      const w = weights.get(n.input[1]);
      node('Gemm', [input(0), constant(n.input[1], w.shape, w.values), bias(n.input[2])], [n.name]);
      renamed.set(n.name, n.name);
      break;
    }
    case 'Softmax':
      node('Softmax', [input(0)], ['probabilities'], [attrInt('axis', 1)]);
      renamed.set(n.name, 'probabilities');
      break;
    case 'Identity':
      renamed.set(n.name, input(0));
      break;
    default:
      throw new Error(`op ${n.op} (${n.name}) is not handled by this converter`);
  }
}

const graph = Buffer.concat([
  ...nodes.map((n) => msg(1, [n])),
  str(2, 'mobilenet_v2_140_224_features'),
  ...initializers.map((t) => msg(5, [t])),
  msg(11, [valueInfo('input', ['N', 3, 224, 224])]),
  msg(12, [valueInfo('features', ['N', 1792])]),
  msg(12, [valueInfo('probabilities', ['N', 5])]),
]);
const onnx = Buffer.concat([
  int(1, 8),
  str(2, 'reelset tfjs-graph-to-onnx'),
  str(3, '1'),
  msg(7, [graph]),
  msg(8, [str(1, ''), int(2, 13)]),
]);
fs.writeFileSync(out, onnx);
console.log(`${out}: ${nodes.length} nodes, ${initializers.length} initializers, ${onnx.length} bytes`);
