package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;

/** A deterministic coder for {@link Failure}: its four strings in order. */
public final class FailureCoder extends AtomicCoder<Failure> {
  private static final long serialVersionUID = 1L;
  private static final FailureCoder INSTANCE = new FailureCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();

  public static FailureCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Failure value, OutputStream out) throws IOException {
    TEXT.encode(value.stageId(), out);
    TEXT.encode(value.itemKey(), out);
    TEXT.encode(value.error(), out);
    TEXT.encode(value.cause(), out);
  }

  @Override
  public Failure decode(InputStream in) throws IOException {
    return new Failure(TEXT.decode(in), TEXT.decode(in), TEXT.decode(in), TEXT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
