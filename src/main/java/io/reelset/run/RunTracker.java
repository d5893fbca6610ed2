package io.reelset.run;

import io.reelset.kit.StageMetrics;
import io.reelset.plan.Plan;
import io.reelset.spec.StageSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;

/**
 * Runs a compiled pipeline and keeps its run directory current: {@code status.json} with per-stage
 * counters while it runs, events for start, progress and end, and a progress line for the user.
 *
 * <p>The run ends {@link RunState#DONE} when the runner reports success and no stage failed more
 * than its {@code max_failure_ratio} of items; {@link RunState#FAILED} when the runner fails or a
 * ratio is exceeded; {@link RunState#CANCELLED} after {@link #cancel}.
 */
public final class RunTracker {
  private final RunDirectory directory;
  private final Plan plan;
  private final PrintWriter progress;
  private final Clock clock;
  private final Duration pollInterval;
  private final List<String> stageIds;
  private volatile RunStatus status;
  private volatile PipelineResult result;
  private String printedLine;
  /** How many lines of progress the terminal shows, to be rewritten in place; 0 when none are. */
  private int linesShown;
  private final Progress progressLines;
  /** The median duration of the completed runs of this pipeline, or null. */
  private final Double typicalSeconds;
  private List<Progress.Line> lastLines = List.of();
  /** Whether progress goes to a person's terminal (rewritten in place) rather than a log (one line each). */
  private static final boolean TERMINAL = System.console() != null && System.getenv("TERM") != null
      && !"dumb".equals(System.getenv("TERM"));

  /** What a run ended as, and why if it did not succeed. */
  public record Outcome(RunState state, String error, Map<String, Map<String, Long>> counters) {}

  /**
   * @param beamArgs the Beam options of the run
   * @param previous the status the run's last attempt left, or null for a new run
   */
  public RunTracker(RunDirectory directory, Plan plan, String specFile, String runner, List<String> beamArgs,
      RunStatus previous, PrintWriter progress, Clock clock, java.time.Duration pollInterval) {
    this.directory = directory;
    this.plan = plan;
    this.progress = progress;
    this.clock = clock;
    this.pollInterval = Duration.millis(pollInterval.toMillis());
    this.stageIds = plan.order().stream().map(StageSpec::id).toList();
    String now = clock.instant().toString();
    this.status = new RunStatus(directory.runId(), plan.name(), specFile, RunState.RUNNING, runner,
        now, now, null, 0.0, stages(emptyCounters()), null, ProcessHandle.current().pid(), host(),
        processStart(ProcessHandle.current()), attempt(previous), System.getProperty("user.dir"),
        List.copyOf(beamArgs), previous == null ? now : previous.firstStart(),
        previous == null ? 0.0 : previous.totalSeconds(), null, null, null);
    this.progressLines = new Progress(plan.order());
    this.typicalSeconds = typicalSeconds(directory.path().getParent(), plan.name());
  }

  /** The median duration of the completed runs of {@code pipeline} in {@code runsDir}, or null. */
  static Double typicalSeconds(java.nio.file.Path runsDir, String pipeline) {
    if (runsDir == null) {
      return null;
    }
    List<Double> done = Runs.all(runsDir).stream()
        .filter(v -> v.state() == Runs.Shown.COMPLETED && pipeline.equals(v.status().pipeline()))
        .map(v -> v.status().totalSeconds()).sorted().toList();
    return done.isEmpty() ? null : done.get(done.size() / 2);
  }

  /** Runs {@code pipeline} to its end; never throws for a failure of the pipeline itself. */
  public Outcome run(Pipeline pipeline) {
    directory.reserve();
    directory.writeStatus(status);
    directory.event(status.attempt() > 1 ? "run_resumed" : "run_started", Map.of("run", directory.runId(),
        "pipeline", plan.name(), "runner", status.runner(), "stages", stageIds, "attempt", status.attempt()));
    Map<String, Map<String, Long>> counters = emptyCounters();
    try {
      result = pipeline.run();
      PipelineResult.State state = null;
      while (state == null || !state.isTerminal()) {
        state = result.waitUntilFinish(pollInterval);
        Map<String, Map<String, Long>> now = StageCounters.read(result, stageIds);
        if (!now.equals(counters)) {
          counters = now;
          update(RunState.RUNNING, counters, null);
          directory.event("progress", Map.of("counters", counters));
          printProgress();
        }
      }
      if (status.state() == RunState.CANCELLED) {
        return new Outcome(RunState.CANCELLED, status.error(), counters);
      }
      if (state != PipelineResult.State.DONE) {
        return finish(state == PipelineResult.State.CANCELLED ? RunState.CANCELLED : RunState.FAILED,
            "the runner reports the job " + state.name().toLowerCase(Locale.ROOT), counters);
      }
      return finish(RunState.COMPLETED, failureRatioProblem(counters), counters);
    } catch (RuntimeException e) {
      if (status.state() == RunState.CANCELLED) {
        return new Outcome(RunState.CANCELLED, status.error(), counters);
      }
      if (result != null) {
        try {
          counters = StageCounters.read(result, stageIds);
        } catch (RuntimeException ignored) {
          // the counters of a failed job may be unreadable; keep the last ones seen
        }
        try {
          // the run directory could not be written (a full disk): stop the job, it cannot record its work
          if (!result.getState().isTerminal()) {
            result.cancel();
          }
        } catch (IOException | RuntimeException ignored) {
          // the job ends with the process
        }
      }
      awaitEmbeddedWorkers(30_000);
      return finish(RunState.FAILED, rootMessage(e), counters);
    }
  }

  /**
   * Lets the embedded runner's workers that are still busy with a failed job end the item in hand
   * (a record or an image being written, or removed on an error) before the run is marked ended:
   * nothing changes in the run directory after it says failed. The runner stops its workers once
   * the job failed; this waits for them at most {@code maxMs}.
   */
  private static void awaitEmbeddedWorkers(long maxMs) {
    long deadline = System.currentTimeMillis() + maxMs;
    for (Thread worker : Thread.getAllStackTraces().keySet()) {
      long left = deadline - System.currentTimeMillis();
      if (!worker.getName().startsWith("direct-runner-worker") || worker == Thread.currentThread() || left <= 0) {
        continue;
      }
      try {
        worker.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Records what the end of a finished run says loudly (no identity, an empty dataset) in
   * status.json and as a {@code run_warning} event, for whoever reads the run later.
   */
  public synchronized void warn(List<String> warnings) {
    if (warnings.isEmpty()) {
      return;
    }
    status = status.warned(warnings);
    directory.writeStatus(status);
    directory.event("run_warning", Map.of("warnings", warnings));
  }

  /** The run's state as recorded now. */
  public synchronized RunState state() {
    return status.state();
  }

  /** Stops a live run (Ctrl-C, SIGTERM) and marks it cancelled; does nothing once it ended. */
  public synchronized void cancel(String reason) {
    if (status.state().isTerminal()) {
      return;
    }
    update(RunState.CANCELLED, currentCounters(), reason);
    directory.event("run_cancelled", Map.of("reason", reason));
    PipelineResult running = result;
    if (running != null) {
      try {
        running.cancel();
        // let work in flight (a model inference, a decode) end before the JVM exits: native
        // libraries torn down under a running call crash the process
        running.waitUntilFinish(Duration.standardSeconds(30));
      } catch (Exception e) {
        // the process is going down anyway; the status already says cancelled
      }
    }
  }

  private synchronized Outcome finish(RunState state, String error, Map<String, Map<String, Long>> counters) {
    if (status.state().isTerminal()) {
      return new Outcome(status.state(), status.error(), counters);
    }
    RunState finalState = state == RunState.COMPLETED && error != null ? RunState.FAILED : state;
    directory.release();
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("state", finalState);
    fields.put("counters", counters);
    if (error != null) {
      fields.put("error", error);
    }
    try {
      update(finalState, counters, error);
      directory.event(finalState == RunState.COMPLETED ? "run_done" : "run_failed", fields);
    } catch (RuntimeException e) {
      if (progress != null) {
        progress.printf("cannot record the end of the run in %s: %s%n", directory.path(), rootMessage(e));
        progress.flush();
      }
      return new Outcome(finalState, error, counters);
    }
    printProgress();
    return new Outcome(finalState, error, counters);
  }

  private synchronized void update(RunState state, Map<String, Map<String, Long>> counters, String error) {
    if (status.state().isTerminal()) {
      return;
    }
    Instant started = Instant.parse(status.startedAt());
    Instant now = clock.instant();
    double elapsed = java.time.Duration.between(started, now).toMillis() / 1000.0;
    lastLines = progressLines.lines(counters, now.toEpochMilli());
    Double eta = eta(elapsed);
    status = status.with(state, now.toString(), stages(counters), error, elapsed, eta,
        typicalSeconds == null && lastLines.stream().anyMatch(Progress.Line::open));
    directory.writeStatus(status);
  }

  private Map<String, Map<String, Long>> currentCounters() {
    Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
    status.stages().forEach((id, s) -> counters.put(id, s.counters()));
    return counters;
  }

  /** The first stage whose share of failed items is above its max_failure_ratio, as a message. */
  private String failureRatioProblem(Map<String, Map<String, Long>> counters) {
    for (StageSpec stage : plan.order()) {
      Double limit = stage.maxFailureRatio();
      Map<String, Long> c = counters.get(stage.id());
      long failed = c.getOrDefault(StageMetrics.FAILURES, 0L);
      long total = failed + c.getOrDefault(StageMetrics.OUTPUT, 0L);
      if (limit != null && total > 0 && (double) failed / total > limit) {
        return String.format(Locale.ROOT,
            "stage '%s' failed %d of %d items (%.1f%%), above its max_failure_ratio %s; see failures/%s.jsonl",
            stage.id(), failed, total, 100.0 * failed / total, limit, stage.id());
      }
    }
    return null;
  }

  private Map<String, RunStatus.StageStatus> stages(Map<String, Map<String, Long>> counters) {
    Map<String, RunStatus.StageStatus> stages = new LinkedHashMap<>();
    for (StageSpec stage : plan.order()) {
      stages.put(stage.id(), new RunStatus.StageStatus(stage.type(),
          counters.getOrDefault(stage.id(), Map.of())));
    }
    return stages;
  }

  private Map<String, Map<String, Long>> emptyCounters() {
    Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
    stageIds.forEach(id -> counters.put(id, new java.util.TreeMap<>()));
    return counters;
  }

  /**
   * Seconds left: the median of the completed runs of the pipeline less the time this run and its
   * earlier attempts took; else the stages' own estimates, the longest one (a stage whose rate is
   * not known yet adds nothing: the ETA is then a lower bound, and said to be); null when nothing
   * can tell.
   */
  private Double eta(double elapsed) {
    if (typicalSeconds != null) {
      double earlier = status.earlierSeconds() == null ? 0 : status.earlierSeconds();
      return Math.max(0, typicalSeconds - earlier - elapsed);
    }
    return lastLines.stream().map(Progress.Line::secondsLeft).filter(java.util.Objects::nonNull)
        .max(Double::compare).orElse(null);
  }

  /**
   * Shows progress: on a terminal, one line per stage, rewritten in place; elsewhere (a log, a
   * pipe) one line with every stage, printed when it changes.
   */
  private synchronized void printProgress() {
    if (progress == null) {
      return;
    }
    long seconds = java.time.Duration.between(Instant.parse(status.startedAt()), clock.instant()).toSeconds();
    List<Progress.Line> lines = lastLines; // worked out by the update that wrote status.json
    String line = String.join(" | ", lines.stream().map(Progress.Line::text).toList());
    boolean ended = status.state().isTerminal();
    if (line.equals(printedLine) && !ended) {
      return; // only what a person sees counts as a change
    }
    if (TERMINAL) {
      StringBuilder block = new StringBuilder();
      if (linesShown > 0) {
        block.append("\u001b[").append(linesShown).append('F'); // back to the first line of the block
      }
      String eta = status.etaSeconds() == null || ended ? ""
          : (status.etaIsLowerBound() ? ", at least " : ", about ") + Progress.duration(status.etaSeconds()) + " left";
      block.append(String.format(Locale.ROOT, "[%4ds] run %s%s", seconds, status.state().json(), eta))
          .append("\u001b[K").append(System.lineSeparator());
      for (Progress.Line l : lines) {
        block.append("  ").append(l.text()).append("\u001b[K").append(System.lineSeparator());
      }
      progress.print(block);
      linesShown = ended ? 0 : lines.size() + 1;
    } else if (!line.equals(printedLine)) {
      progress.println(String.format(Locale.ROOT, "[%4ds] %s", seconds, line));
    }
    printedLine = line;
    progress.flush();
  }

  /** Ends the progress shown in place, so that what is printed next is not written over. */
  public synchronized void endProgress() {
    linesShown = 0;
  }

  static String rootMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        String what = t instanceof java.nio.file.FileSystemException f && f.getFile() != null
            ? "cannot write " + f.getFile() + ": No space left on device" : t.getMessage();
        return "the disk is full (" + what + "); free some space, then reelset resume finishes the run";
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : root.getClass().getSimpleName() + ": " + message;
  }

  /** The attempt that follows {@code previous}: 1 for a new run. */
  public static int attempt(RunStatus previous) {
    return previous == null ? 1 : (previous.attempt() == null ? 1 : previous.attempt()) + 1;
  }

  /** When a process started, as status.json records it; null where the system does not say. */
  public static String processStart(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toString).orElse(null);
  }

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }

}
