package io.reelset.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes small ONNX models for tests, as protobuf bytes (the field numbers of onnx.proto): a graph
 * of nodes without attributes, weights as initializers (float or int64), float inputs and outputs
 * whose dimensions are numbers or named (a {@code -1} writes {@code N}, the batch). Enough to give a
 * preset's preprocessing, or a tagger's loading and inference, a model with the real inputs and
 * outputs where the real model cannot be fetched.
 */
public final class TinyOnnx {
  private final ByteArrayOutputStream graph = new ByteArrayOutputStream();
  private int opset = 13;

  /** The operator set (13 by default; 18 takes ReduceMean's axes as an input). */
  public TinyOnnx opset(int version) {
    this.opset = version;
    return this;
  }

  /** A float weight. */
  public TinyOnnx initializer(String name, long[] dims, float[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    return initializer(name, dims, 1, raw.array());
  }

  /** An int64 constant (axes, shapes). */
  public TinyOnnx initializer(String name, long[] dims, long[] values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    return initializer(name, dims, 7, raw.array());
  }

  private TinyOnnx initializer(String name, long[] dims, int dataType, byte[] raw) {
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    for (long d : dims) {
      tag(tensor, 1, 0);
      varint(tensor, d);
    }
    tag(tensor, 2, 0);
    varint(tensor, dataType);
    string(tensor, 8, name);
    message(tensor, 9, raw);
    message(graph, 5, tensor.toByteArray());
    return this;
  }

  /** A node: its operator and the names of its inputs and outputs. */
  public TinyOnnx node(String opType, String[] inputs, String[] outputs) {
    ByteArrayOutputStream node = new ByteArrayOutputStream();
    for (String in : inputs) {
      string(node, 1, in);
    }
    for (String out : outputs) {
      string(node, 2, out);
    }
    string(node, 3, opType + "_" + outputs[0]);
    string(node, 4, opType);
    message(graph, 1, node.toByteArray());
    return this;
  }

  public TinyOnnx input(String name, long... dims) {
    message(graph, 11, valueInfo(name, dims));
    return this;
  }

  public TinyOnnx output(String name, long... dims) {
    message(graph, 12, valueInfo(name, dims));
    return this;
  }

  /** Writes the model (IR version 7, or 8 from opset 15) to {@code file}. */
  public Path write(Path file) throws IOException {
    ByteArrayOutputStream model = new ByteArrayOutputStream();
    tag(model, 1, 0);
    varint(model, opset >= 15 ? 8 : 7);
    string(graph, 2, "tiny");
    message(model, 7, graph.toByteArray());
    ByteArrayOutputStream opset = new ByteArrayOutputStream();
    tag(opset, 2, 0);
    varint(opset, this.opset);
    message(model, 8, opset.toByteArray());
    return Files.write(file, model.toByteArray());
  }

  private static byte[] valueInfo(String name, long[] dims) {
    ByteArrayOutputStream shape = new ByteArrayOutputStream();
    for (long d : dims) {
      ByteArrayOutputStream dim = new ByteArrayOutputStream();
      if (d < 0) {
        string(dim, 2, "N");
      } else {
        tag(dim, 1, 0);
        varint(dim, d);
      }
      message(shape, 1, dim.toByteArray());
    }
    ByteArrayOutputStream tensor = new ByteArrayOutputStream();
    tag(tensor, 1, 0);
    varint(tensor, 1); // FLOAT
    message(tensor, 2, shape.toByteArray());
    ByteArrayOutputStream type = new ByteArrayOutputStream();
    message(type, 1, tensor.toByteArray());
    ByteArrayOutputStream info = new ByteArrayOutputStream();
    string(info, 1, name);
    message(info, 2, type.toByteArray());
    return info.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, int field, String value) {
    message(out, field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static void message(ByteArrayOutputStream out, int field, byte[] bytes) {
    tag(out, field, 2);
    varint(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static void tag(ByteArrayOutputStream out, int field, int wireType) {
    varint(out, ((long) field << 3) | wireType);
  }

  private static void varint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
  }
}
