package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link Frame}. */
public final class FrameCoder extends AtomicCoder<Frame> {
  private static final long serialVersionUID = 1L;
  private static final FrameCoder INSTANCE = new FrameCoder();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final ByteArrayCoder BYTES = ByteArrayCoder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static FrameCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Frame frame, OutputStream out) throws IOException {
    TEXT.encode(frame.videoKey(), out);
    LONG.encode(frame.index(), out);
    LONG.encode(frame.ptsMs(), out);
    INT.encode(frame.width(), out);
    INT.encode(frame.height(), out);
    TEXT.encode(frame.format(), out);
    BYTES.encode(frame.image(), out);
    LONG.encode(frame.dHash(), out);
    DOUBLE.encode(frame.sceneScore(), out);
    DOUBLE.encode(frame.sharpness(), out);
  }

  @Override
  public Frame decode(InputStream in) throws IOException {
    return new Frame(TEXT.decode(in), LONG.decode(in), LONG.decode(in), INT.decode(in), INT.decode(in),
        TEXT.decode(in), BYTES.decode(in), LONG.decode(in), DOUBLE.decode(in), DOUBLE.decode(in));
  }

  @Override
  public void verifyDeterministic() {}

  @Override
  public boolean isRegisterByteSizeObserverCheap(Frame frame) {
    return true;
  }

  @Override
  protected long getEncodedElementByteSize(Frame frame) {
    return frame.image().length + frame.videoKey().length() + frame.format().length() + 56L;
  }
}
