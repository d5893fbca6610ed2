package io.reelset.stages.frames;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The groups of pictures of a video, from its probed keyframes: which one a frame belongs to, and
 * where the next one starts. Frame extraction claims a group's start before it emits the group's
 * frames, so a runner's split always falls where decoding can start cleanly, and every frame is
 * decoded once however often the runner splits. Without keyframes (not scanned) every timestamp is
 * its own group: claims per frame.
 */
final class Gops implements Serializable {
  private static final long serialVersionUID = 1L;
  private final long[] starts;

  /** Keyframe timestamps, ascending; the timeline's start (0) always starts a group. */
  Gops(long[] keyframesMs) {
    long[] sorted = Arrays.stream(keyframesMs).filter(k -> k > 0).sorted().distinct().toArray();
    if (keyframesMs.length == 0) {
      this.starts = new long[0];
    } else {
      this.starts = new long[sorted.length + 1];
      System.arraycopy(sorted, 0, this.starts, 1, sorted.length);
    }
  }

  boolean known() {
    return starts.length > 0;
  }

  /** The start of the group a frame at {@code ms} belongs to: the last keyframe at or before it. */
  long owner(long ms) {
    if (!known()) {
      return ms;
    }
    int i = Arrays.binarySearch(starts, ms);
    return i >= 0 ? starts[i] : starts[Math.max(0, -i - 2)];
  }

  /** The first group start at or after {@code position}; {@link Long#MAX_VALUE} when none is left. */
  long nextStart(long position) {
    if (!known()) {
      return position;
    }
    int i = Arrays.binarySearch(starts, position);
    int at = i >= 0 ? i : -i - 1;
    return at < starts.length ? starts[at] : Long.MAX_VALUE;
  }
}
