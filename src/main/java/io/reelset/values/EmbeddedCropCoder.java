package io.reelset.values;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A deterministic coder for {@link EmbeddedCrop}. */
public final class EmbeddedCropCoder extends AtomicCoder<EmbeddedCrop> {
  private static final long serialVersionUID = 1L;
  private static final EmbeddedCropCoder INSTANCE = new EmbeddedCropCoder();

  public static EmbeddedCropCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(EmbeddedCrop value, OutputStream out) throws IOException {
    CharacterCropCoder.of().encode(value.crop(), out);
    writeFloats(value.embedding(), out);
  }

  @Override
  public EmbeddedCrop decode(InputStream in) throws IOException {
    return new EmbeddedCrop(CharacterCropCoder.of().decode(in), readFloats(in));
  }

  @Override
  public void verifyDeterministic() {}

  /** The length, then every value as 4 big-endian bytes (as {@code DataOutputStream}), in one write. */
  public static void writeFloats(float[] values, OutputStream out) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * values.length);
    bytes.putInt(values.length);
    bytes.asFloatBuffer().put(values);
    out.write(bytes.array());
  }

  /** What {@link #writeFloats} wrote, read in one piece. */
  /** {@code values} big-endian in one write, without their length (the reader knows it). */
  public static void writeDoubles(double[] values, OutputStream out) throws IOException {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length);
    bytes.asDoubleBuffer().put(values);
    out.write(bytes.array());
  }

  /** {@code n} doubles written by {@link #writeDoubles}. */
  public static double[] readDoubles(InputStream in, int n) throws IOException {
    if (n < 0 || n > 1 << 24) {
      throw new IOException("corrupt vector length " + n);
    }
    byte[] bytes = new byte[8 * n];
    new DataInputStream(in).readFully(bytes);
    double[] values = new double[n];
    ByteBuffer.wrap(bytes).asDoubleBuffer().get(values);
    return values;
  }

  public static float[] readFloats(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    if (n < 0 || n > 1 << 24) {
      throw new IOException("corrupt embedding length " + n);
    }
    byte[] bytes = new byte[4 * n];
    data.readFully(bytes);
    float[] values = new float[n];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(values);
    return values;
  }
}
