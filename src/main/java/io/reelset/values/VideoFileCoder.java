package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link VideoFile}. */
public final class VideoFileCoder extends AtomicCoder<VideoFile> {
  private static final long serialVersionUID = 1L;
  private static final VideoFileCoder INSTANCE = new VideoFileCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();

  public static VideoFileCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(VideoFile value, OutputStream out) throws IOException {
    TEXT.encode(value.key(), out);
    TEXT.encode(value.path(), out);
    TEXT.encode(value.relativePath(), out);
    LONG.encode(value.sizeBytes(), out);
    TEXT.encode(value.fingerprint(), out);
  }

  @Override
  public VideoFile decode(InputStream in) throws IOException {
    return new VideoFile(TEXT.decode(in), TEXT.decode(in), TEXT.decode(in), LONG.decode(in), TEXT.decode(in));
  }

  @Override
  public void verifyDeterministic() {}
}
