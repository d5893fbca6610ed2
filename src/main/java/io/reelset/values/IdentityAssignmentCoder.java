package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A deterministic coder for {@link IdentityAssignment}. */
public final class IdentityAssignmentCoder extends AtomicCoder<IdentityAssignment> {
  private static final long serialVersionUID = 1L;
  private static final IdentityAssignmentCoder INSTANCE = new IdentityAssignmentCoder();

  public static IdentityAssignmentCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(IdentityAssignment value, OutputStream out) throws IOException {
    CharacterCropCoder.of().encode(value.crop(), out);
    EmbeddedCropCoder.writeFloats(value.embedding(), out);
    StringUtf8Coder.of().encode(value.identity(), out);
    DoubleCoder.of().encode(value.distance(), out);
    VarIntCoder.of().encode(value.source().ordinal(), out);
    StringUtf8Coder.of().encode(value.track(), out);
  }

  @Override
  public IdentityAssignment decode(InputStream in) throws IOException {
    CharacterCrop crop = CharacterCropCoder.of().decode(in);
    float[] embedding = EmbeddedCropCoder.readFloats(in);
    String identity = StringUtf8Coder.of().decode(in);
    double distance = DoubleCoder.of().decode(in);
    int source = VarIntCoder.of().decode(in);
    if (source < 0 || source >= IdentityAssignment.Source.values().length) {
      throw new IOException("corrupt identity source " + source);
    }
    String track = StringUtf8Coder.of().decode(in);
    return new IdentityAssignment(crop, embedding, identity, distance, IdentityAssignment.Source.values()[source],
        track);
  }

  @Override
  public void verifyDeterministic() {}
}
