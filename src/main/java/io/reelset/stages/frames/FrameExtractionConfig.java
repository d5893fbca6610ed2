package io.reelset.stages.frames;

import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.media.VideoKeys;
import io.reelset.spec.Setting;
import io.reelset.corpus.MatchVideos;
import java.io.Serializable;
import java.util.List;

/** The config of stage {@code frame_extraction}. */
public record FrameExtractionConfig(
    @Setting(value = MatchVideos.INPUT_DOC, required = true) String input,
    @Setting(value = MatchVideos.EXTENSIONS_DOC, defaultValue = VideoKeys.EXTENSIONS, min = 1) List<String> extensions,
    @Setting("how frames are chosen") SamplingConfig sampling,
    @Setting("near-duplicate removal") DedupeConfig dedupe,
    @Setting("the encoded images") ImageConfig image,
    @Setting(value = "also write <output_dir>/<video key>/<pts ms>.<jpg|png>", defaultValue = "false") boolean save,
    @Setting(value = "length of the pieces one video is decoded in, in parallel", defaultValue = "10", min = 1,
        max = 86_400) double segmentSeconds,
    @Setting(value = "FFmpeg threads per segment; 0 lets FFmpeg choose", defaultValue = "1", min = 0, max = 64)
        int decoderThreads) implements Serializable {

  /** {@code sampling}: which frames are candidates. */
  public record SamplingConfig(
      @Setting(value = "which frames to take", defaultValue = "fps") Sampling.Mode mode,
      @Setting(value = "every_n: take every n-th frame", defaultValue = "10", min = 1, max = 1_000_000) long n,
      @Setting(value = "fps: frames per second, as ffmpeg -vf fps=R", defaultValue = "1", min = 0.001, max = 1000)
          double fps,
      @Setting(value = "scene: the scene score above which a frame starts a new shot", defaultValue = "0.3", min = 0,
          max = 1) double threshold,
      @Setting(value = "any mode: at least this many seconds between kept frames", defaultValue = "0", min = 0,
          max = 86_400) double minIntervalS) implements Serializable {

    Sampling sampling() {
      return new Sampling(mode, n, fps, threshold);
    }
  }

  /** {@code dedupe}: near-duplicate removal within a video. */
  public record DedupeConfig(
      @Setting(value = "near-duplicate removal within a video", choices = {"none", "dhash"}, defaultValue = "none")
          String method,
      @Setting(value = "dhash: frames this many bits apart or closer are duplicates", defaultValue = "6", min = 0,
          max = 64) int maxDistance) implements Serializable {

    /** The dHash distance at or below which a frame is a duplicate; -1 keeps every frame. */
    int distance() {
      return method.equals("dhash") ? maxDistance : -1;
    }
  }

  /** {@code image}: how frames are encoded. */
  public record ImageConfig(
      @Setting(value = "how frames are encoded", defaultValue = "jpg") FrameConverter.Format format,
      @Setting(value = "jpg: FFmpeg's quality scale, 2 best, as ffmpeg -q:v", defaultValue = "2", min = 2, max = 31)
          int jpegQuality) implements Serializable {}
}
