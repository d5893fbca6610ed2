package io.reelset.stages.frames;

import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.media.VideoKeys;
import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
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
      @Setting(value = "scene, shots: the scene score above which a frame starts a new shot", defaultValue = "0.3",
          min = 0, max = 1) double threshold,
      @Setting(value = "any mode: at least this many seconds between kept frames", defaultValue = "0", min = 0,
          max = 86_400) double minIntervalS,
      @Setting(value = "shots: frames kept from each shot, spread evenly over it", defaultValue = "1", min = 1,
          max = 100) int perShot,
      @Setting(value = "shots: shots shorter than this many seconds give no frame (flashes, transitions), unless"
          + " every shot of a video is: then its longest does",
          defaultValue = "1", min = 0, max = 3600) double minShotS,
      @Setting(value = "shots: a longer shot counts as several of at most this many seconds (a long take still"
          + " gives frames)", defaultValue = "10", min = 0.5, max = 86_400) double maxShotS,
      @Setting(value = "shots: each kept frame is the sharpest of this many candidates near its place (candidates:"
          + " 2 per second and each shot's first frame)", defaultValue = "3", min = 1, max = 20) int sharpestOf)
      implements ConfigChecks, Serializable {

    Sampling sampling() {
      return new Sampling(mode, n, fps, threshold);
    }

    /** The choice per shot of {@code shots} mode. */
    ShotChoice shotChoice() {
      return new ShotChoice(perShot, Math.round(minShotS * 1000), Math.round(maxShotS * 1000), sharpestOf,
          Math.round(1000 / Sampling.SHOT_CANDIDATE_FPS));
    }

    @Override
    public void check(ConfigRule.Checked problems) {
      if (minShotS > maxShotS) {
        problems.problem("min_shot_s", "must not be more than max_shot_s (" + maxShotS + "), got " + minShotS);
      }
    }
  }

  /** {@code dedupe}: near-duplicate removal within a video, and optionally across videos. */
  public record DedupeConfig(
      @Setting(value = "near-duplicate removal within a video", choices = {"none", "dhash"}, defaultValue = "none")
          String method,
      @Setting(value = "dhash: frames this many bits apart or closer are duplicates", defaultValue = "6", min = 0,
          max = 64) int maxDistance,
      @Setting(value = "dhash: also across videos (the opening and ending every episode repeats): the video whose"
          + " key sorts first keeps a frame", defaultValue = "false") boolean acrossVideos)
      implements ConfigChecks, Serializable {

    @Override
    public void check(ConfigRule.Checked problems) {
      if (acrossVideos && !method.equals("dhash")) {
        problems.problem("across_videos", "compares frames by their dHash: set method: dhash, or leave across_videos out");
      }
    }

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
