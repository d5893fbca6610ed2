// Runs the original TF.js graph model (with @tensorflow/tfjs, pure JavaScript) on a few fixed
// inputs and writes what it gives as JSON — the first 64 features and the length of the feature
// vector of each input, and the probabilities — so that the converted ONNX model can be checked
// against it (CnnEmbedderIT): the same inputs, the same outputs within a small tolerance.
// scripts/check-cnn-conversion.sh runs it.
//
//   node tfjs-reference.js TFJS_DIR MODEL_JS SHARD_JS... OUT.json
//
// Input n, pixel (y, x), channel c is pattern(n, y, x, c) / 255 with the integer pattern below,
// exact in float32 in JavaScript and Java alike.
'use strict';
const path = require('path');
const fs = require('fs');

const [tfjsDir, modelJs, ...rest] = process.argv.slice(2);
const out = rest.pop();
console.warn = () => {}; // TF.js's advice to install its native backend; errors still go to stderr
const tf = require(path.join(path.resolve(tfjsDir), 'node_modules/@tensorflow/tfjs'));
const model = require(path.resolve(modelJs));
const weightData = Buffer.concat(rest.map((f) => Buffer.from(require(path.resolve(f)), 'base64')));

const N = 3;
const pattern = (n, y, x, c) => (x * x * 3 + y * 7 + c * 41 + n * 97 + ((x * y) % 13) * 11) % 256;

(async () => {
  await tf.setBackend('cpu');
  const specs = model.weightsManifest.flatMap((g) => g.weights);
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.length);
  const graph = await tf.loadGraphModel(tf.io.fromMemory({ modelTopology: model.modelTopology, weightSpecs: specs,
    weightData: buffer }));
  const pixels = new Float32Array(N * 224 * 224 * 3);
  let i = 0;
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < 224; y++) {
      for (let x = 0; x < 224; x++) {
        for (let c = 0; c < 3; c++) {
          pixels[i++] = pattern(n, y, x, c) / 255;
        }
      }
    }
  }
  const input = tf.tensor4d(pixels, [N, 224, 224, 3]);
  const featureNode = model.modelTopology.node.find((n) => n.op === 'Squeeze').name;
  const [features, probabilities] = graph.execute(input, [featureNode, 'Identity']);
  const all = Array.from(await features.data());
  const size = all.length / N;
  const round = (v) => Number(v.toPrecision(8));
  const json = {
    note: 'outputs of the original TF.js model (nsfwjs 4.4.0 mobilenet_v2_mid, @tensorflow/tfjs '
      + tf.version.tfjs + ') on inputs pattern(n,y,x,c)/255',
    pattern: '(x*x*3 + y*7 + c*41 + n*97 + ((x*y) % 13)*11) % 256',
    inputs: N,
    features_per_input: size,
    features_head: [...Array(N).keys()].map((n) => all.slice(n * size, n * size + 64).map(round)),
    features_norm: [...Array(N).keys()].map((n) => round(Math.hypot(...all.slice(n * size, (n + 1) * size)))),
    probabilities: [...Array(N).keys()].map((n) => Array.from(probabilities.dataSync().slice(n * 5, n * 5 + 5)).map(round)),
  };
  fs.writeFileSync(out, JSON.stringify(json, null, 1) + '\n');
  console.log(`${out}: ${N} inputs, ${size} features each`);
})().catch((e) => {
  console.error(`tfjs-reference: ${e.message}`);
  process.exit(1);
});
