package io.reelset.stages.frames;

import io.reelset.kit.SharedModels;
import io.reelset.media.SampledFrames;

/**
 * Open decoders waiting to continue where they stopped, shared by the DoFn instances of a worker
 * through the JVM's resource cache ({@link SharedModels#park}).
 *
 * <p>A runner may stop a splittable DoFn at any claim and resume the rest later, on any thread
 * (the DirectRunner does so every second). Without this cache every resume would seek and decode
 * from the previous keyframe again. Entries are keyed by transform, video and resume position;
 * the oldest is closed when more than {@link #CAPACITY} wait.
 */
final class DecoderSessions {
  static final int CAPACITY = 2 * Math.max(2, Runtime.getRuntime().availableProcessors());

  /**
   * A decoder waiting to continue, with how many of its damaged packets were reported: damage a
   * call saw after its claim failed is reported by the call that continues it.
   */
  record Parked(SampledFrames frames, long damageReported) implements AutoCloseable {
    @Override
    public void close() {
      frames.close();
    }
  }

  /**
   * Off: no decoder is kept, as when a runner continues the rest of a restriction on another
   * worker (for tests that show a fresh decoder wastes nothing either).
   */
  static volatile boolean keep = true;

  private DecoderSessions() {}

  private static String key(String sessionKey, long resumeMs) {
    return "decoder|" + sessionKey + "@" + resumeMs;
  }

  /**
   * The session that stopped right before {@code resumeMs}, or null.
   *
   * @param sessionKey the video and the transform decoding it
   */
  static Parked take(String sessionKey, long resumeMs) {
    return (Parked) SharedModels.take(key(sessionKey, resumeMs));
  }

  /** Keeps a session for a later {@link #take}; the oldest one is closed if too many wait. */
  static void park(String sessionKey, long resumeMs, SampledFrames frames, long damageReported) {
    if (!keep) {
      frames.close();
      return;
    }
    frames.releaseFilters(); // a parked session holds its decoder, not a 4K tone-mapping graph's buffers
    AutoCloseable previous = SharedModels.park(key(sessionKey, resumeMs), new Parked(frames, damageReported), CAPACITY);
    if (previous instanceof Parked p && p.frames() != frames) {
      p.close();
    }
  }
}
