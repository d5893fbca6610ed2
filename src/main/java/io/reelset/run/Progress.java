package io.reelset.run;

import io.reelset.kit.StageMetrics;
import io.reelset.spec.StageSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Each stage's progress as its counters tell it: done out of a total where the total is known —
 * a source stage counts its own ({@link StageMetrics#PROGRESS_TOTAL}: frame extraction, the
 * milliseconds of video it probed), a later stage has its upstream stages' output once they are
 * complete — with a percentage, a rate and the time left at that rate. While an upstream stage is
 * still working, a later stage's total is estimated ({@code ~}): each upstream's output so far
 * scaled to its whole (its share done), so that the stage that limits a run has an ETA from the
 * start and not only once the stages before it end.
 */
final class Progress {
  /**
   * One stage's progress line, and the seconds it has left where they can be told.
   *
   * @param open whether the stage may still have work whose time cannot be told yet: it is not
   *     known to be complete and has no estimate (a stage waiting for its upstream's output)
   */
  record Line(String stageId, String text, Double secondsLeft, boolean open) {}

  private final List<StageSpec> order;
  /** When each stage was first seen doing work (ms on the run's clock), and how much it had done then. */
  private final Map<String, long[]> started = new HashMap<>();

  Progress(List<StageSpec> order) {
    this.order = List.copyOf(order);
  }

  /** The lines for {@code counters} at {@code nowMs}. */
  List<Line> lines(Map<String, Map<String, Long>> counters, long nowMs) {
    Map<String, Boolean> complete = new HashMap<>();
    // each stage's whole output, as far as it can be told yet: its output so far over its share done
    Map<String, Double> projected = new HashMap<>();
    List<Line> lines = new ArrayList<>();
    for (StageSpec stage : order) {
      Map<String, Long> c = counters.getOrDefault(stage.id(), Map.of());
      long out = c.getOrDefault(StageMetrics.OUTPUT, 0L);
      long failed = c.getOrDefault(StageMetrics.FAILURES, 0L);
      Long done = c.get(StageMetrics.PROGRESS_DONE);
      long total;
      boolean totalKnown;
      boolean estimated = false;
      if (c.containsKey(StageMetrics.PROGRESS_TOTAL)) {
        total = c.get(StageMetrics.PROGRESS_TOTAL);
        totalKnown = total > 0;
      } else {
        total = 0;
        totalKnown = !stage.dependsOn().isEmpty();
        boolean projectable = !stage.dependsOn().isEmpty();
        double whole = 0;
        for (String upstream : stage.dependsOn()) {
          total += counters.getOrDefault(upstream, Map.of()).getOrDefault(StageMetrics.OUTPUT, 0L);
          totalKnown &= complete.getOrDefault(upstream, false);
          Double upstreamWhole = projected.get(upstream);
          projectable &= upstreamWhole != null;
          whole += upstreamWhole == null ? 0 : upstreamWhole;
        }
        long estimate = Math.max(total, Math.round(whole));
        if (!totalKnown && projectable && done != null && done > 0 && estimate > done) {
          total = estimate;
          estimated = true;
        }
      }
      StringBuilder text = new StringBuilder(stage.id()).append(": ");
      Double left = null;
      if (done != null && done > 0) {
        started.putIfAbsent(stage.id(), new long[] {nowMs, done});
      }
      boolean own = c.containsKey(StageMetrics.PROGRESS_TOTAL);
      if (done != null && (totalKnown || estimated)) {
        double share = Math.min(1.0, (double) done / total);
        boolean finished = totalKnown && done >= total;
        complete.put(stage.id(), finished);
        if (finished) {
          projected.put(stage.id(), (double) out);
        } else if (done > 0) {
          projected.put(stage.id(), out / share);
        }
        text.append(own ? percent(share) : done + "/" + (estimated ? "~" : "") + total + " (" + percent(share) + ")")
            .append(", ");
        long[] first = started.getOrDefault(stage.id(), new long[] {nowMs, 0});
        double seconds = (nowMs - first[0]) / 1000.0;
        long progressed = done - first[1];
        if (done < total && progressed > 0 && seconds >= 1) {
          left = (total - done) / (progressed / seconds);
        }
      } else if (done != null && !stage.dependsOn().isEmpty()) {
        text.append(done).append("/").append(total).append(" so far, ");
      }
      text.append(out).append(" out");
      if (failed > 0) {
        text.append(", ").append(failed).append(" failed");
      }
      if (left != null) {
        text.append(", ETA ").append(duration(left));
      }
      lines.add(new Line(stage.id(), text.toString(), left, !complete.getOrDefault(stage.id(), false) && left == null));
    }
    return lines;
  }

  private static String percent(double share) {
    return share >= 1 ? "100%" : String.format(Locale.ROOT, "%d%%", (int) Math.floor(share * 100));
  }

  /** {@code 45s}, {@code 3m05s}, {@code 2h10m}. */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }
}
