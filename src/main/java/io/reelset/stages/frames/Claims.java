package io.reelset.stages.frames;

import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;

/**
 * The claims of one call of a splittable DoFn over an {@link OffsetRange}, and whether it may
 * output now.
 *
 * <p>A runner may checkpoint a splittable DoFn at any claim (the DirectRunner does after 1 s or
 * 100 outputs); from then on every {@code tryClaim} fails, and output or another claim throws.
 * Output is allowed only after a successful claim and before a failed one. This class keeps that
 * state, so every output of the DoFn is asked for through {@link #mayOutput()} and a claim is never
 * tried again once one failed.
 */
final class Claims {
  private final RestrictionTracker<OffsetRange, Long> tracker;
  private long last;
  private boolean claimed;
  private boolean failed;

  Claims(RestrictionTracker<OffsetRange, Long> tracker) {
    this.tracker = tracker;
    this.last = tracker.currentRestriction().getFrom() - 1;
  }

  /** Claims {@code position} (after the last claim); false once the runner took the rest. */
  boolean claim(long position) {
    if (failed) {
      return false;
    }
    if (tracker.tryClaim(position)) {
      claimed = true;
      last = position;
      return true;
    }
    failed = true;
    return false;
  }

  /**
   * Whether this call may output now: it holds a successful claim, or claims the next position to
   * get one. False once the runner took the rest of the restriction.
   */
  boolean mayOutput() {
    if (failed) {
      return false;
    }
    return claimed || claim(last + 1);
  }

  /** The end of the restriction as it stands now (a runner's split moves it). */
  long end() {
    return tracker.currentRestriction().getTo();
  }

  /**
   * Marks the rest of the restriction done: nothing is left to emit in it. A no-op once a claim
   * failed (the rest belongs to the runner's residual).
   */
  void finish() {
    if (!failed) {
      // a claim at the end fails by design, and tells the tracker that nothing is left
      tracker.tryClaim(end());
      failed = true;
    }
  }
}
