package io.reelset.stages.frames;

import io.reelset.media.SampledFrames;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Open decoders waiting to continue where they stopped, shared by the DoFn instances of a worker.
 *
 * <p>A runner may stop a splittable DoFn at any claim and resume the rest later, on any thread
 * (the DirectRunner does so every second). Without this cache every resume would seek and decode
 * from the previous keyframe again. Entries are keyed by transform, video and resume position;
 * the oldest is closed when more than {@link #CAPACITY} wait.
 */
final class DecoderSessions {
  static final int CAPACITY = 2 * Math.max(2, Runtime.getRuntime().availableProcessors());
  private static final Map<String, Parked> WAITING = new LinkedHashMap<>();

  /**
   * A decoder waiting to continue, with how many of its damaged packets were reported: damage a
   * call saw after its claim failed is reported by the call that continues it.
   */
  record Parked(SampledFrames frames, long damageReported) {}

  private DecoderSessions() {}

  private static String key(String sessionKey, long resumeMs) {
    return sessionKey + "@" + resumeMs;
  }

  /**
   * The session that stopped right before {@code resumeMs}, or null.
   *
   * @param sessionKey the video and the transform decoding it
   */
  static synchronized Parked take(String sessionKey, long resumeMs) {
    return WAITING.remove(key(sessionKey, resumeMs));
  }

  /** Keeps a session for a later {@link #take}; the oldest one is closed if too many wait. */
  static void park(String sessionKey, long resumeMs, SampledFrames frames, long damageReported) {
    Parked session = new Parked(frames, damageReported);
    Parked evicted = null;
    synchronized (DecoderSessions.class) {
      Parked previous = WAITING.put(key(sessionKey, resumeMs), session);
      if (previous != null && previous.frames() != session.frames()) {
        evicted = previous;
      } else if (WAITING.size() > CAPACITY) {
        Iterator<Parked> oldest = WAITING.values().iterator();
        evicted = oldest.next();
        oldest.remove();
      }
    }
    if (evicted != null) {
      evicted.frames().close();
    }
  }
}
