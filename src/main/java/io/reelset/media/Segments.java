package io.reelset.media;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a video's timeline into segments of about a given length, each starting at a keyframe
 * where the keyframes are known, so that decoding a segment wastes no frames before its start.
 */
public final class Segments {
  private Segments() {}

  /**
   * The segment boundaries of {@code [from, to)}: {@code from}, then for every multiple of
   * {@code lengthMs} the first keyframe at or after it (or the multiple itself when no keyframes
   * are known), then {@code to}. Boundaries are strictly increasing.
   */
  public static long[] boundaries(long from, long to, long lengthMs, long[] keyframesMs) {
    if (lengthMs <= 0) {
      throw new IllegalArgumentException("segment length must be positive, got " + lengthMs);
    }
    List<Long> cuts = new ArrayList<>(List.of(from));
    for (long nominal = from + lengthMs; nominal < to; nominal += lengthMs) {
      long cut = nominal;
      if (keyframesMs.length > 0) {
        int i = Arrays.binarySearch(keyframesMs, nominal);
        int next = i >= 0 ? i : -i - 1;
        if (next >= keyframesMs.length) {
          break; // no keyframe after this point: the rest is one segment
        }
        cut = keyframesMs[next];
      }
      if (cut > cuts.get(cuts.size() - 1) && cut < to) {
        cuts.add(cut);
      }
    }
    cuts.add(to);
    return cuts.stream().mapToLong(Long::longValue).toArray();
  }
}
