package io.reelset.run;

import io.reelset.compile.PipelineCompiler;
import io.reelset.kit.Preflight;
import io.reelset.kit.StageMetrics;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import io.reelset.kit.SharedModels;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
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
public final class RunLauncher {
  private RunLauncher() {}

  /** A pipeline ready to run. */
  public record Prepared(Plan plan, Path runDir, PipelineOptions options, Pipeline beam, List<String> beamArgs,
      StageRegistry registry) {}

  /**
   * Compiles {@code plan} for {@code runDir} and runs the preflight checks.
   *
   * @throws IllegalArgumentException for a bad Beam option or a stage config that cannot be built
   * @throws PreflightException when a check fails
   */
  public static Prepared prepare(Plan plan, Path runDir, List<String> beamArgs, StageRegistry registry, String file) {
    PipelineOptions options = RunnerOptions.parse(beamArgs, runDir.getFileName().toString());
    // the world first (inputs, models: a missing default model is fetched here), then the pipeline
    Preflight checks = preflight(plan, registry, runDir.toString());
    if (!checks.problems().isEmpty()) {
      throw new PreflightException(checks.problems());
    }
    Pipeline beam = Pipeline.create(options);
    try {
      PipelineCompiler.compile(beam, plan, registry, runDir.toString(), true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return new Prepared(plan, runDir, options, beam, List.copyOf(beamArgs), registry);
  }

  /** Runs every check of {@code plan}, to be written under {@code runDir}; never throws. */
  public static Preflight preflight(Plan plan, StageRegistry registry, String runDir) {
    Preflight checks = new Preflight();
    checks.writable(null, "the run directory", runDir);
    for (StageSpec stage : plan.order()) {
      String outputDir = stage.config().getString(StageTypeInfo.OUTPUT_DIR);
      if (outputDir != null && !outputDir.startsWith(runDir)) {
        checks.writable(stage.id(), "config.output_dir", outputDir);
      }
      StageContext context = new StageContext(stage.id(), stage.type(), stage.config(), outputDir, runDir,
          stage.retry());
      try {
        registry.provider(stage.type()).preflight(context, checks);
      } catch (RuntimeException e) {
        checks.problem(stage.id(), "its preflight check failed: " + e.getMessage());
      }
    }
    checks.diskSpace(runDir);
    return checks;
  }

  /** Preflight problems, one message each. */
  public static final class PreflightException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final List<String> problems;

    PreflightException(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = problems;
    }

    public int report(String command, PrintWriter err) {
      problems.forEach(p -> err.println("reelset " + command + ": preflight: " + p));
      err.println(problems.size() == 1 ? "1 preflight problem; nothing was run"
          : problems.size() + " preflight problems; nothing was run");
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
  }

  /**
   * Prints what each stage made; says on stderr which made nothing, and records that in
   * status.json. Returns whether any stage made nothing.
   */
  private static boolean summarize(Prepared prepared, RunTracker tracker, PrintWriter out, PrintWriter err) {
    List<String> warnings = new ArrayList<>();
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
      if (summary.empty()) {
        warnings.addAll(summary.lines());
      }
    }
    out.flush();
    err.flush();
    tracker.warn(warnings);
    return !warnings.isEmpty();
  }

  /** Runs a prepared pipeline in its run directory; returns the exit code. */
  public static int execute(Prepared prepared, RunDirectory directory, String specFile, RunStatus previous,
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
    java.util.concurrent.atomic.AtomicBoolean cancelling = new java.util.concurrent.atomic.AtomicBoolean();
    Runnable cancelAndExit = () -> {
      if (!cancelling.compareAndSet(false, true)) {
        awaitHalt(); // a second signal, or an exit during the cancel: the first call halts the process
        return;
      }
      int code = ExitCodes.RUN_FAILED;
      try {
        // a stage that starts while the run is cancelled must not begin loading its model: a process
        // that exits during ONNX Runtime's session creation crashes (SIGSEGV, exit 134)
        SharedModels.refuseLoads();
        tracker.cancel("interrupted by a signal (Ctrl-C, SIGTERM or reelset cancel)");
        tracker.endProgress();
        // no inference may still run when the process exits (see SharedModels.closeAll)
        SharedModels.closeAll();
        out.flush();
        err.flush();
        code = tracker.state() == RunState.COMPLETED ? ExitCodes.OK : ExitCodes.RUN_FAILED;
      } finally {
        // a signal would make the exit code 143; a cancelled run exits 1, as a failed one does. halt:
        // no shutdown hook runs, ONNX Runtime's (which releases its environment) included
        Runtime.getRuntime().halt(code);
      }
    };
    // signals are handled here, so that the JVM's shutdown hooks do not run beside the cancel
    // (TerminationSignals); the hook is for an exit that comes another way
    Thread onExit = new Thread(cancelAndExit, "reelset-cancel");
    Runtime.getRuntime().addShutdownHook(onExit);
    RunTracker.Outcome outcome;
    TerminationSignals signals = TerminationSignals.handle(cancelAndExit);
    try {
      outcome = tracker.run(prepared.beam());
    } finally {
      signals.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onExit);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running and marks the run cancelled
      }
      if (cancelling.get()) {
        // the cancelled run returns here while the handler still waits for a model's load or
        // inference: this thread must not end the process (System.exit would run the shutdown
        // hooks under that load); the handler halts it
        awaitHalt();
      }
    }
    tracker.endProgress();
    markClassesWorthArchiving();
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
      boolean empty = summarize(prepared, tracker, out, err);
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

  /**
   * The system property naming the file {@link #markClassesWorthArchiving} creates: scripts/reelset
   * keeps the class data archive that the JVM writes at exit only when a run created it.
   */
  public static final String ARCHIVE_MARKER = "reelset.cds.ran";

  /**
   * Tells scripts/reelset that this JVM ran a pipeline to its end, so that the classes it loaded are
   * worth archiving for the next starts: a {@code run --help}, a refused file or a failed preflight
   * loads too few, and an archive of those made every later start slower (2.8 s against 2.2 s for
   * a 1 s clip) until the next build. Does nothing without {@link #ARCHIVE_MARKER}; never throws.
   */
  private static void markClassesWorthArchiving() {
    String marker = System.getProperty(ARCHIVE_MARKER);
    if (marker == null || marker.isEmpty()) {
      return;
    }
    try {
      Files.write(Path.of(marker), new byte[0]);
    } catch (IOException | RuntimeException e) {
      // no archive then; the next run writes one
    }
  }

  /** Waits for the signal handler to halt the process. */
  private static void awaitHalt() {
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    while (true) {
      try {
        never.await();
      } catch (InterruptedException e) {
        // still the handler's to end
      }
    }
  }

  /** Deletes the records of stage configs that are no longer the run's (an edited stage, a removed one). */
  public static void pruneCheckpoints(Path runDir, Map<String, String> fingerprints, PrintWriter out, String id)
      throws IOException {
    Path root = runDir.resolve(PipelineCompiler.CHECKPOINTS);
    if (!Files.isDirectory(root)) {
      return;
    }
    List<Path> stale = new ArrayList<>();
    try (Stream<Path> stages = Files.list(root)) {
      for (Path stage : stages.toList()) {
        String current = fingerprints.get(stage.getFileName().toString());
        try (Stream<Path> prints = Files.list(stage)) {
          prints.filter(p -> !p.getFileName().toString().equals(current)).forEach(stale::add);
        }
      }
    }
    for (Path dir : stale) {
      out.printf("run %s: stage %s changed; its earlier results are discarded%n", id,
          dir.getParent().getFileName());
      RunDirectory.deleteTree(dir);
    }
  }
}
