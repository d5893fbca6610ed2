package io.reelset.cli;

import io.reelset.run.RunLauncher;
import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.OutputResolver;
import io.reelset.plan.Plan;
import io.reelset.run.Pipelines;
import io.reelset.run.RunDirectory;
import io.reelset.spec.SpecException;
import io.reelset.spec.SpecWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code reelset run FILE} or {@code reelset run --pipeline-id ID}: validates, checks (preflight),
 * creates a run directory, compiles the pipeline and runs it, on the embedded DirectRunner unless
 * a {@code --runner} is given. Every stage records the items it completes, so a run that dies can
 * be finished with {@code reelset resume}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = {
    "Run a pipeline file, or a pipeline registered with 'reelset create'. Options reelset does not know"
        + " (--runner=FlinkRunner, --targetParallelism=4, ...) are passed to Beam.",
    "Exit code: 0 when the run is done, 1 when it failed or was cancelled, 2 on bad input or a failed"
        + " preflight check."})
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "The pipeline YAML file.")
  String file;

  @Option(names = "--pipeline-id", paramLabel = "ID", description = "Run a pipeline registered with 'reelset create'.")
  String pipelineId;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Override a param declared in the file, typed by it: a string param takes the text as"
          + " written, a number param a number, a list param a YAML list. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where run directories are created (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--run-id", paramLabel = "ID", description = "Name of the run directory (default: <pipeline>-<date>-<time>).")
  String runId;

  @Mixin ProgressInterval progress;

  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    StageRegistry registry = StageRegistry.discover();
    if (Files.exists(runsDir) && !Files.isDirectory(runsDir)) {
      return ExitCodes.badInput(err, "run", "--runs-dir " + runsDir + " is a file, not a directory");
    }
    PipelineFileOptions pipeline = new PipelineFileOptions();
    pipeline.params = params;
    if ((file == null) == (pipelineId == null)) {
      return ExitCodes.badInput(err, "run", "give a pipeline FILE or --pipeline-id ID (from reelset create), not "
          + (file == null ? "neither" : "both"));
    }
    if (pipelineId != null) {
      try {
        Pipelines.Registered registered = Pipelines.find(runsDir, pipelineId);
        pipeline.file = registered.file().toString();
        Map<String, String> merged = new LinkedHashMap<>(registered.params());
        merged.putAll(params);
        pipeline.params = merged;
      } catch (IllegalArgumentException e) {
        return ExitCodes.badInput(err, "run", e.getMessage());
      }
    } else {
      pipeline.file = file;
    }
    RunLauncher.Prepared prepared;
    try {
      Plan draft = pipeline.load(registry);
      Path runDir = RunDirectory.choose(runsDir.toAbsolutePath().normalize(), runId, draft.name(), clock);
      Plan plan = OutputResolver.resolve(draft, registry, runDir.toString());
      prepared = RunLauncher.prepare(plan, runDir, beamArgs, registry, pipeline.file);
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, err);
    } catch (RunLauncher.PreflightException e) {
      return e.report("run", err);
    } catch (IllegalArgumentException e) {
      return ExitCodes.badInput(err, "run", e.getMessage());
    }

    RunDirectory directory;
    try {
      directory = RunDirectory.create(prepared.runDir(), clock);
      directory.writeSpec(SpecWriter.toYaml(prepared.plan().spec()));
    } catch (IOException e) {
      return ExitCodes.badInput(err, "run", "cannot create the run directory " + prepared.runDir() + ": " + e.getMessage());
    }
    return RunLauncher.execute(prepared, directory, pipeline.file, null, progress.interval, out, err, clock);
  }
}
