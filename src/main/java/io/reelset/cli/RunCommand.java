package io.reelset.cli;

import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageMetrics;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.OutputResolver;
import io.reelset.plan.Plan;
import io.reelset.run.RunDirectory;
import io.reelset.run.RunState;
import io.reelset.run.RunTracker;
import io.reelset.run.RunnerOptions;
import io.reelset.spec.SpecException;
import io.reelset.spec.SpecWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code reelset run FILE}: validates, creates a run directory, compiles the pipeline and runs it,
 * on the embedded DirectRunner unless a {@code --runner} is given.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Run a pipeline. Options reelset does not know (--runner=FlinkRunner, --targetParallelism=4, ...)"
        + " are passed to Beam.",
    "Exit code: 0 when the run is done, 1 when it failed or was cancelled, 2 on bad input."})
final class RunCommand implements Callable<Integer> {
  @Mixin PipelineFileOptions pipeline;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where run directories are created (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run directory (default: <pipeline>-<date>-<time>).")
  String runId;

  @Option(names = "--progress-interval", defaultValue = "2s", paramLabel = "DURATION",
      description = "How often status.json and the progress line are updated (default: ${DEFAULT-VALUE}).",
      converter = DurationConverter.class)
  Duration progressInterval;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    StageRegistry registry = StageRegistry.discover();
    if (Files.exists(runsDir) && !Files.isDirectory(runsDir)) {
      err.println("reelset run: --runs-dir " + runsDir + " is a file, not a directory");
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    Path runDir;
    Plan plan;
    PipelineOptions options;
    Pipeline beam;
    try {
      Plan draft = pipeline.load(registry);
      runDir = RunDirectory.choose(runsDir.toAbsolutePath().normalize(), runId, draft.name(), clock);
      plan = OutputResolver.resolve(draft, registry, runDir.toString());
      options = RunnerOptions.parse(beamArgs, runDir.getFileName().toString());
      beam = Pipeline.create(options);
      try {
        PipelineCompiler.compile(beam, plan, registry, runDir.toString());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(pipeline.file + ": " + e.getMessage(), e);
      }
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, err);
    } catch (IllegalArgumentException e) {
      err.println("reelset run: " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }

    RunDirectory directory;
    try {
      directory = RunDirectory.create(runDir, clock);
      directory.writeSpec(SpecWriter.toYaml(plan.spec()));
    } catch (IOException e) {
      err.println("reelset run: cannot create the run directory " + runDir + ": " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }

    String runner = options.getRunner().getSimpleName();
    int stages = plan.order().size();
    out.printf("run %s: %s on %s, %d %s; run directory %s%n", directory.runId(), plan.name(),
        runner, stages, stages == 1 ? "stage" : "stages", runDir);
    out.flush();
    RunTracker tracker = new RunTracker(directory, plan, pipeline.file, runner, err, clock, progressInterval);
    Thread onSignal = new Thread(() -> tracker.cancel("interrupted by a signal (Ctrl-C or SIGTERM)"),
        "reelset-cancel");
    Runtime.getRuntime().addShutdownHook(onSignal);
    RunTracker.Outcome outcome;
    try {
      outcome = tracker.run(beam);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onSignal);
      } catch (IllegalStateException shuttingDown) {
        // the hook is already running and marks the run cancelled
      }
    }
    List<String> failed = new ArrayList<>();
    outcome.counters().forEach((stage, counters) -> {
      long n = counters.getOrDefault(StageMetrics.FAILURES, 0L);
      if (n > 0) {
        failed.add(stage + ": " + n);
      }
    });
    if (!failed.isEmpty()) {
      err.printf("run %s: items that failed (%s) are listed in %s%n", directory.runId(),
          String.join(", ", failed), runDir.resolve("failures"));
    }
    if (outcome.state() == RunState.DONE) {
      out.printf("run %s: done; status in %s%n", directory.runId(), runDir.resolve(RunDirectory.STATUS));
      out.flush();
      return ExitCodes.OK;
    }
    err.printf("run %s: %s: %s%n", directory.runId(), outcome.state().json(), outcome.error());
    err.flush();
    return ExitCodes.RUN_FAILED;
  }

  /** Parses {@code 500ms}, {@code 2s}, {@code 1m}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration parsed = io.reelset.spec.RetrySpec.parseDuration(value);
      if (parsed == null || parsed.isZero()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration; write e.g. 500ms, 2s or 1m");
      }
      return parsed;
    }
  }
}
