package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.FloatCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;

/** A deterministic coder for {@link Tag}. */
public final class TagCoder extends AtomicCoder<Tag> {
  private static final long serialVersionUID = 1L;
  private static final TagCoder INSTANCE = new TagCoder();

  public static TagCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Tag tag, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(tag.name(), out);
    VarIntCoder.of().encode(tag.category(), out);
    FloatCoder.of().encode(tag.score(), out);
  }

  @Override
  public Tag decode(InputStream in) throws IOException {
    return new Tag(StringUtf8Coder.of().decode(in), VarIntCoder.of().decode(in), FloatCoder.of().decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
