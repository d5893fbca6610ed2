package io.reelset.media;

/**
 * Scores how much each frame differs from the one before it, the way FFmpeg's {@code select}
 * filter computes {@code scene}: the mean absolute difference to the previous frame (MAFD), and
 * its change since the previous pair, {@code clip(min(mafd, |mafd - prevMafd|) / 100, 0, 1)}.
 *
 * <p>Feed every decoded frame in order. The first frame of a video has no predecessor and scores
 * 1, so a scene-sampled video always starts with its first frame.
 */
public final class SceneDetector {
  private byte[] previous;
  private double previousMafd;

  /** The score of {@code thumbnail}, which must have the size of the ones before it. */
  public double score(byte[] thumbnail) {
    if (previous == null) {
      previous = thumbnail;
      return 1.0;
    }
    double mafd = FrameHashes.meanAbsoluteDifference(previous, thumbnail);
    double diff = Math.abs(mafd - previousMafd);
    previous = thumbnail;
    previousMafd = mafd;
    return Math.max(0, Math.min(1, Math.min(mafd, diff) / 100.0));
  }
}
