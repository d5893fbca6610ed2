package io.reelset.media;

import java.io.Serializable;
import java.util.Locale;

/**
 * Which decoded frames become candidates, decided per frame from its own timestamp, keyframe
 * flag and scene score (and, for {@code fps}, the next frame's timestamp) — never from which
 * frames were kept before. So a video split into segments yields exactly the frames of the
 * whole; the minimum interval and de-duplication, which do depend on earlier frames, run after.
 *
 * <ul>
 *   <li>{@code every_n}: frames whose index ({@code round(seconds × frame rate)}) is a multiple of n
 *   <li>{@code fps}: the frames {@code ffmpeg -vf fps=R} outputs: for each output slot k, the last
 *       frame before {@code (k + 0.5) / R} seconds
 *   <li>{@code keyframes}: the frames the codec stored as keyframes
 *   <li>{@code scene}: frames whose scene score ({@link SceneDetector}) is above the threshold
 * </ul>
 */
public record Sampling(Mode mode, long n, double fps, double threshold) implements Serializable {

  /** The sampling modes of the pipeline file. */
  public enum Mode {
    EVERY_N, FPS, KEYFRAMES, SCENE;

    public static Mode parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  public boolean needsSceneScores() {
    return mode == Mode.SCENE;
  }

  /**
   * Whether the frame at {@code us} is a candidate.
   *
   * @param nextUs the timestamp of the next frame, or -1 at the end of the video
   * @param sourceFps the video's frame rate
   */
  public boolean select(long us, long nextUs, boolean key, double sceneScore, double sourceFps) {
    return switch (mode) {
      case EVERY_N -> index(us, sourceFps) % n == 0;
      case KEYFRAMES -> key;
      case SCENE -> sceneScore > threshold;
      case FPS -> slot(nextUs >= 0 ? nextUs : us + Math.round(1_000_000 / sourceFps)) > slot(us);
    };
  }

  /** The frame index a timestamp stands for. */
  public static long index(long us, double sourceFps) {
    return Math.round(us * sourceFps / 1_000_000.0);
  }

  /** How many output slot boundaries {@code (k + 0.5) / fps} lie at or before {@code us}. */
  long slot(long us) {
    // fps as a fraction with denominator 1000 keeps the boundary test exact for rates like 0.5 or 2.5
    long numerator = Math.round(fps * 1000);
    return Math.floorDiv(us * numerator * 2 + 1_000_000L * 1000, 2_000_000L * 1000);
  }
}
