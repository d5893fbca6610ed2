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
 *   <li>{@code shots}: the candidates a choice per shot needs: the frames {@code fps} mode gives at
 *       {@link #SHOT_CANDIDATE_FPS} per second, and every frame that starts a shot (scene score above
 *       the threshold); which of them are kept is decided over the whole video, after decoding
 * </ul>
 */
public record Sampling(Mode mode, long n, double fps, double threshold) implements Serializable {

  /** The sampling modes of the pipeline file. */
  public enum Mode {
    EVERY_N, FPS, KEYFRAMES, SCENE, SHOTS;

    public static Mode parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  /** Candidates per second of {@code shots} mode: each kept frame is the sharpest of a few of them. */
  public static final double SHOT_CANDIDATE_FPS = 2;

  public boolean needsSceneScores() {
    return mode == Mode.SCENE || mode == Mode.SHOTS;
  }

  /** Whether candidates carry their sharpness ({@code shots} mode chooses by it). */
  public boolean needsSharpness() {
    return mode == Mode.SHOTS;
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
      case FPS -> startsSlot(us, nextUs, sourceFps, fps);
      case SHOTS -> sceneScore > threshold || startsSlot(us, nextUs, sourceFps, SHOT_CANDIDATE_FPS);
    };
  }

  /**
   * Whether the frame at {@code us} is surely not a candidate, known before it is decoded from its
   * timestamp and that of any later frame ({@code laterUs}; -1: none known yet), so that it need
   * not be decoded when no other frame refers to it. Never true of a frame {@link #select} takes,
   * and leaving such frames out does not change what it takes of the others: in {@code fps} mode
   * a frame is left out only when no slot boundary lies between it and a later frame, so none lies
   * between it and its successor either, and the frame before it, which now sees a later frame as
   * its next, is taken exactly when it was. Frames for scene scores are all needed.
   */
  public boolean surelyNotSelected(long us, long laterUs, double sourceFps) {
    return switch (mode) {
      case EVERY_N -> index(us, sourceFps) % n != 0;
      case KEYFRAMES -> true; // asked of frames not stored as keyframes only
      case FPS -> laterUs > us && slot(laterUs, fps) == slot(us, fps);
      case SCENE, SHOTS -> false;
    };
  }

  /**
   * Whether the frame at {@code us}, and the frames just before and after it, are all surely not
   * candidates ({@link #surelyNotSelected} and more): for video coded as fields, whose candidates are
   * rebuilt from a neighbour's field (telecine) or deinterlaced with both neighbours, so that a frame
   * next to a candidate is decoded even where the sampling wants no more of it. In {@code fps} mode
   * no slot boundary lies within two frames of it either side; in {@code every_n} mode its index is
   * not next to a multiple of n.
   */
  public boolean surelyNotSelectedNorNext(long us, long laterUs, double sourceFps) {
    if (!surelyNotSelected(us, laterUs, sourceFps)) {
      return false;
    }
    long frameUs = Math.round(1_000_000 / sourceFps);
    return switch (mode) {
      case EVERY_N -> {
        long i = Math.floorMod(index(us, sourceFps), n);
        yield i != 1 && i != n - 1;
      }
      case KEYFRAMES -> true; // keyframes alone, as fast as can be: their neighbours are not decoded
      case FPS -> slot(us - 2 * frameUs, fps) == slot(us + 2 * frameUs, fps);
      case SCENE, SHOTS -> false;
    };
  }

  /**
   * Whether no frame after the one at {@code us} and before a keyframe at or before {@code keyUs}
   * is a candidate, and leaving them all out does not change what {@link #select} takes of the
   * others, so that they need not be decoded at all (decoding starts again at the keyframe). In
   * {@code fps} mode: no slot boundary lies between the frame and the keyframe, so the frame itself
   * is not taken either, whether its next frame is its successor or the keyframe; in
   * {@code every_n} mode: no multiple of n among the indices from the frame's to the keyframe's; in
   * {@code keyframes} mode: when no other keyframe lies between them ({@code keyframesBetween}).
   * Frames for scene scores are all needed.
   */
  public boolean noneSelectedBefore(long us, long keyUs, boolean keyframesBetween, double sourceFps) {
    return switch (mode) {
      case FPS -> slot(keyUs, fps) == slot(us, fps);
      case EVERY_N -> {
        long from = index(us, sourceFps);
        long to = index(keyUs, sourceFps);
        yield Math.floorDiv(to, n) == Math.floorDiv(from - 1, n); // no multiple of n in [from, to]
      }
      case KEYFRAMES -> !keyframesBetween;
      case SCENE, SHOTS -> false;
    };
  }

  /** The frame index a timestamp stands for. */
  public static long index(long us, double sourceFps) {
    return Math.round(us * sourceFps / 1_000_000.0);
  }

  /** Whether a slot boundary of {@code rate} lies after {@code us} and at or before the next frame. */
  private static boolean startsSlot(long us, long nextUs, double sourceFps, double rate) {
    return slot(nextUs >= 0 ? nextUs : us + Math.round(1_000_000 / sourceFps), rate) > slot(us, rate);
  }

  /** How many output slot boundaries {@code (k + 0.5) / rate} lie at or before {@code us}. */
  static long slot(long us, double rate) {
    // the rate as a fraction with denominator 1000 keeps the boundary test exact for rates like 0.5 or 2.5
    long numerator = Math.round(rate * 1000);
    return Math.floorDiv(us * numerator * 2 + 1_000_000L * 1000, 2_000_000L * 1000);
  }
}
