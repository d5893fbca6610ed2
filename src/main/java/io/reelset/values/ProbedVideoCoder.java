package io.reelset.values;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.coders.DoubleCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;

/** A deterministic coder for {@link ProbedVideo}. */
public final class ProbedVideoCoder extends AtomicCoder<ProbedVideo> {
  private static final long serialVersionUID = 1L;
  private static final ProbedVideoCoder INSTANCE = new ProbedVideoCoder();
  private static final VarLongCoder LONG = VarLongCoder.of();
  private static final VarIntCoder INT = VarIntCoder.of();
  private static final StringUtf8Coder TEXT = StringUtf8Coder.of();
  private static final DoubleCoder DOUBLE = DoubleCoder.of();

  public static ProbedVideoCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(ProbedVideo video, OutputStream out) throws IOException {
    VideoFileCoder.of().encode(video.file(), out);
    VideoInfo info = video.info();
    LONG.encode(info.durationMs(), out);
    DOUBLE.encode(info.frameRate(), out);
    TEXT.encode(info.frameRateText(), out);
    LONG.encode(info.frameCount(), out);
    TEXT.encode(info.codec(), out);
    INT.encode(info.width(), out);
    INT.encode(info.height(), out);
    long[] keyframes = info.keyframesMs();
    INT.encode(keyframes.length, out);
    long previous = 0;
    for (long keyframe : keyframes) {
      LONG.encode(keyframe - previous, out);
      previous = keyframe;
    }
  }

  @Override
  public ProbedVideo decode(InputStream in) throws IOException {
    VideoFile file = VideoFileCoder.of().decode(in);
    long duration = LONG.decode(in);
    double rate = DOUBLE.decode(in);
    String rateText = TEXT.decode(in);
    long frames = LONG.decode(in);
    String codec = TEXT.decode(in);
    int width = INT.decode(in);
    int height = INT.decode(in);
    long[] keyframes = new long[INT.decode(in)];
    long previous = 0;
    for (int i = 0; i < keyframes.length; i++) {
      previous += LONG.decode(in);
      keyframes[i] = previous;
    }
    return new ProbedVideo(file, new VideoInfo(duration, rate, rateText, frames, codec, width, height, keyframes));
  }

  @Override
  public void verifyDeterministic() {}
}
