package io.reelset.values;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

  static void writeFloats(float[] values, OutputStream out) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(values.length);
    for (float v : values) {
      data.writeFloat(v);
    }
    data.flush();
  }

  static float[] readFloats(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int n = data.readInt();
    if (n < 0 || n > 1 << 24) {
      throw new IOException("corrupt embedding length " + n);
    }
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = data.readFloat();
    }
    return values;
  }
}
