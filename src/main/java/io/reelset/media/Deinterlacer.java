package io.reelset.media;

import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * Deinterlaces one frame of video that is interlaced through and through — each field its own
 * moment, no film picture to rebuild — with FFmpeg's {@code bwdif} filter (motion adaptive: where
 * nothing moved between the fields the other field's rows are kept, where something moved the
 * missing rows are interpolated from the field's own rows and the frames before and after), instead
 * of reading one field and stretching it. The output is the moment of the frame's first field, as
 * {@code bwdif=mode=send_frame} gives one frame per frame.
 *
 * <p>The filter needs the frames next to the one it deinterlaces: a {@link FilterChain} is built
 * for the three, run and freed (only the sampled frames that are combed pay it). Not thread-safe.
 */
final class Deinterlacer implements AutoCloseable {
  private static final List<FilterChain.Filter> BWDIF =
      List.of(new FilterChain.Filter("bwdif", "mode=send_frame:parity=auto:deint=all"));
  private final FilterChain chain = new FilterChain();

  /**
   * Deinterlaces {@code frame}, with {@code before} and {@code after} the frames decoded just before
   * and after it, into a frame owned by this deinterlacer (valid until the next call or close), with
   * the properties of {@code frame}; null where the filter cannot take the frames (a pixel format
   * {@code bwdif} has not, frames of different sizes): read one field then.
   */
  AVFrame deinterlace(AVFrame before, AVFrame frame, AVFrame after) {
    if (!FrameConverter.samePictures(before, frame) || !FrameConverter.samePictures(after, frame)
        || frame.height() < 4) {
      return null;
    }
    // the frame given in at 1 s comes out at 1 s (the filter counts time in half frames)
    AVFrame output = chain.run(BWDIF, frame, new AVFrame[] {before, frame, after}, 1);
    if (output == null) {
      return null;
    }
    // the filter passes the frame's side data (rotation) on; these it may not
    output.colorspace(frame.colorspace());
    output.color_range(frame.color_range());
    return output;
  }

  @Override
  public void close() {
    chain.close();
  }
}
