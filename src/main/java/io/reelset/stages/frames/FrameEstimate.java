package io.reelset.stages.frames;

import io.reelset.media.FFmpegVideo;
import io.reelset.values.VideoInfo;
import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.corpus.MatchVideos;

/**
 * How many bytes of frames a frame_extraction stage will write, for the preflight's disk check:
 * each local video's header (duration, frame rate, picture size; no decoding) times the frames
 * its sampling keeps, times the bytes a frame takes in the configured image format. A video that
 * cannot be probed counts its own size, as do remote ones.
 */
final class FrameEstimate {
  /**
   * Bytes per pixel, measured on the cockatoo clip (1280x720 live action, 1 fps: PNG 0.56, JPEG at
   * quality 2 0.059) with a third more for busier footage.
   */
  static final double JPEG_BYTES_PER_PIXEL = 0.08;
  static final double PNG_BYTES_PER_PIXEL = 0.75;

  private FrameEstimate() {}

  static long bytes(MatchVideos.InputCheck input, FrameExtractionConfig config) {
    FrameExtractionConfig.SamplingConfig sampling = config.sampling();
    // JPEG's size falls about as its quality number (2 best, 31 worst) rises
    double perPixel = config.image().format() == FrameConverter.Format.PNG ? PNG_BYTES_PER_PIXEL
        : JPEG_BYTES_PER_PIXEL * 2 / Math.max(2, config.image().jpegQuality());
    long estimate = 0;
    long probedBytes = 0;
    for (String path : input.localPaths()) {
      try (FFmpegVideo video = FFmpegVideo.open(path, 1)) {
        VideoInfo info = video.probe(false).info();
        double seconds = info.durationMs() / 1000.0;
        double frames = switch (sampling.mode()) {
          case EVERY_N -> seconds * info.frameRate() / Math.max(1, sampling.n());
          case FPS -> seconds * Math.min(info.frameRate(), sampling.fps());
          // every candidate is recorded: a few a second and each shot's first frame
          case SHOTS -> seconds * Math.min(info.frameRate(), Sampling.SHOT_CANDIDATE_FPS + 0.5);
          default -> seconds; // keyframes and shot starts: about one a second on typical footage
        };
        estimate += Math.round(frames * info.width() * info.height() * perPixel);
        probedBytes += java.nio.file.Files.size(java.nio.file.Path.of(path));
      } catch (Exception e) {
        // not a video FFmpeg can read: the run says so; its own size stands in
      }
    }
    return estimate + Math.max(0, input.bytes() - probedBytes);
  }
}
