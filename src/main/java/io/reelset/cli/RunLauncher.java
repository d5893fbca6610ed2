package io.reelset.cli;

import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.Preflight;
import io.reelset.kit.StageMetrics;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.run.RunDirectory;
import io.reelset.run.RunState;
import io.reelset.run.RunStatus;
import io.reelset.run.RunTracker;
import io.reelset.run.RunnerOptions;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import io.reelset.kit.SharedModels;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;

/**
 * What {@code run} and {@code resume} share: build the Beam pipeline of a resolved plan (every
 * stage recording what it completes), check it before it starts, and run it with a tracker that
 * keeps the run directory current and marks it cancelled on Ctrl-C or SIGTERM.
 */
final class RunLauncher {
  private RunLauncher() {}

  /** A pipeline ready to run. */
  record Prepared(Plan plan, Path runDir, PipelineOptions options, Pipeline beam, List<String> beamArgs,
      StageRegistry registry) {}

  /**
   * Compiles {@code plan} for {@code runDir} and runs the preflight checks.
   *
   * @throws IllegalArgumentException for a bad Beam option or a stage config that cannot be built
   * @throws PreflightException when a check fails
   */
  static Prepared prepare(Plan plan, Path runDir, List<String> beamArgs, StageRegistry registry, String file) {
    PipelineOptions options = RunnerOptions.parse(beamArgs, runDir.getFileName().toString());
    Pipeline beam = Pipeline.create(options);
    try {
      PipelineCompiler.compile(beam, plan, registry, runDir.toString(), true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    Preflight checks = Preflight.check(plan, registry, runDir.toString());
    if (!checks.problems().isEmpty()) {
      throw new PreflightException(checks.problems());
    }
    return new Prepared(plan, runDir, options, beam, List.copyOf(beamArgs), registry);
  }

  /** Preflight problems, one message each. */
  static final class PreflightException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final List<String> problems;

    PreflightException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = problems;
    }

    int report(String command, PrintWriter err) {
      problems.forEach(p -> err.println("reelset " + command + ": preflight: " + p));
      err.println(problems.size() == 1 ? "1 preflight problem; nothing was run"
          : problems.size() + " preflight problems; nothing was run");
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
  }

  /** Prints what each stage made; says on stderr which made nothing. Returns whether any did. */
  private static boolean summarize(Prepared prepared, PrintWriter out, PrintWriter err) {
    boolean empty = false;
    for (StageSpec stage : prepared.plan().order()) {
      StageContext context = new StageContext(stage.id(), stage.type(), stage.config(),
          stage.config().getString(StageTypeInfo.OUTPUT_DIR), prepared.runDir().toString(), stage.retry());
      StageProvider.Summary summary;
      try {
        summary = prepared.registry().provider(stage.type()).summary(context);
      } catch (RuntimeException e) {
        continue; // a summary is a courtesy; the run's outcome stands
      }
      summary.lines().forEach((summary.empty() ? err : out)::println);
      empty |= summary.empty();
    }
    out.flush();
    err.flush();
    return empty;
  }

  /** Runs a prepared pipeline in its run directory; returns the exit code. */
  static int execute(Prepared prepared, RunDirectory directory, String specFile, RunStatus previous,
      Duration progressInterval,
      PrintWriter out, PrintWriter err, Clock clock) {
    try {
      if (!directory.lock()) {
        err.printf("reelset: run %s is being run by another process (it holds %s); wait for it or cancel it%n",
            directory.runId(), prepared.runDir().resolve(".lock"));
        err.flush();
        return ExitCodes.BAD_INPUT;
      }
    } catch (java.io.IOException e) {
      err.printf("reelset: cannot lock the run directory %s: %s%n", prepared.runDir(), e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    try {
      return executeLocked(prepared, directory, specFile, previous, progressInterval, out, err, clock);
    } finally {
      directory.unlock();
    }
  }

  private static int executeLocked(Prepared prepared, RunDirectory directory, String specFile, RunStatus previous,
      Duration progressInterval, PrintWriter out, PrintWriter err, Clock clock) {
    String runner = prepared.options().getRunner().getSimpleName();
    int attempt = RunTracker.attempt(previous);
    int stages = prepared.plan().order().size();
    out.printf("run %s: %s on %s, %d %s%s; run directory %s%n", directory.runId(), prepared.plan().name(),
        runner, stages, stages == 1 ? "stage" : "stages", attempt > 1 ? ", attempt " + attempt : "",
        prepared.runDir());
    out.flush();
    RunTracker tracker = new RunTracker(directory, prepared.plan(), specFile, runner, prepared.beamArgs(), previous,
        err, clock, progressInterval);
    Thread onSignal = new Thread(() -> {
      tracker.cancel("interrupted by a signal (Ctrl-C, SIGTERM or reelset cancel)");
      tracker.endProgress();
      // no inference may still run when the process exits (see SharedModels.closeAll)
      SharedModels.closeAll();
      out.flush();
      err.flush();
      // a signal would make the exit code 143; a cancelled run exits 1, as a failed one does
      Runtime.getRuntime().halt(tracker.state() == RunState.COMPLETED ? ExitCodes.OK : ExitCodes.RUN_FAILED);
    }, "reelset-cancel");
    Runtime.getRuntime().addShutdownHook(onSignal);
    RunTracker.Outcome outcome;
    try {
      outcome = tracker.run(prepared.beam());
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running and marks the run cancelled
      }
    }
    tracker.endProgress();
    List<String> failed = new ArrayList<>();
    List<String> resumed = new ArrayList<>();
    outcome.counters().forEach((stage, counters) -> {
      long n = counters.getOrDefault(StageMetrics.FAILURES, 0L);
      if (n > 0) {
        failed.add(stage + ": " + n);
      }
      long r = counters.getOrDefault(StageMetrics.RESUMED, 0L);
      if (r > 0) {
        resumed.add(stage + ": " + r + " read back, " + counters.getOrDefault(StageMetrics.RECORDED, 0L) + " done now");
      }
    });
    if (!resumed.isEmpty()) {
      out.printf("run %s: resumed (%s)%n", directory.runId(), String.join("; ", resumed));
    }
    if (!failed.isEmpty()) {
      err.printf("run %s: items that failed (%s) are listed in %s%n", directory.runId(),
          String.join(", ", failed), prepared.runDir().resolve("failures"));
    }
    if (outcome.state() == RunState.COMPLETED) {
      boolean empty = summarize(prepared, out, err);
      out.printf("run %s: done%s; status in %s%n", directory.runId(), empty ? ", BUT ITS RESULT IS EMPTY (above)" : "",
          prepared.runDir().resolve(RunDirectory.STATUS));
      out.flush();
      return ExitCodes.OK;
    }
    err.printf("run %s: %s: %s%n", directory.runId(), outcome.state().json(),
        io.reelset.spec.Printable.lines(outcome.error()));
    err.flush();
    return ExitCodes.RUN_FAILED;
  }
}
