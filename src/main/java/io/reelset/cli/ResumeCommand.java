package io.reelset.cli;

import io.reelset.run.RunLauncher;
import io.reelset.run.ExitCodes;
import io.reelset.compile.Fingerprints;
import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.OutputResolver;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.run.RunDirectory;
import io.reelset.run.RunStatus;
import io.reelset.run.Runs;
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
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code reelset resume RUN}: runs a run's resolved pipeline again in the same run directory;
 * every item an earlier attempt completed is read back from its completion record instead of
 * computed, so the run ends with the dataset an uninterrupted run gives. With {@code --config}, an
 * edited pipeline replaces the run's: stages whose config (or whose upstream's) changed start over,
 * the others are read back.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, description = {
    "Finish a run that died, failed or was cancelled (or re-run a finished one after editing its"
        + " pipeline), redoing only the items that were not complete.",
    "Exit code: 0 when the run is done, 1 when it failed or was cancelled, 2 on bad input."})
final class ResumeCommand implements Callable<Integer> {
  @Mixin RunArgument target;

  @Option(names = "--config", paramLabel = "FILE",
      description = "An edited pipeline file to use instead of the run's spec.resolved.yaml.")
  String config;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "With --config: override a param declared in the file. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Mixin ProgressInterval progress;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Beam options; without any, those the run was started with. */
  @Unmatched List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    Clock clock = Clock.systemUTC();
    StageRegistry registry = StageRegistry.discover();
    Runs.View view = target.find("resume", err);
    if (view == null) {
      return ExitCodes.BAD_INPUT;
    }
    Path runDir = view.dir();
    RunStatus old = view.status();
    if (view.state() == Runs.Shown.RUNNING) {
      return ExitCodes.badInput(err, "resume", "run " + view.id() + " is still running (process " + old.pid() + "); wait for it, or"
          + " stop it with reelset cancel " + view.id() + " and then resume");
    }
    if (view.state() == Runs.Shown.UNKNOWN) {
      return ExitCodes.badInput(err, "resume", "run " + view.id() + " may still be running: " + view.note() + "; resume it on that host");
    }
    if (!params.isEmpty() && config == null) {
      return ExitCodes.badInput(err, "resume", "--param needs --config: the run's spec.resolved.yaml has its params filled in already");
    }
    if (old.workingDir() != null && !old.workingDir().equals(System.getProperty("user.dir"))) {
      err.println("reelset resume: note: the run was started in " + old.workingDir()
          + "; relative paths of its pipeline are now taken from " + System.getProperty("user.dir"));
    }
    String specFile = config != null ? config : runDir.resolve(RunDirectory.SPEC).toString();
    RunLauncher.Prepared prepared;
    try {
      Plan plan = PlanLoader.load(Path.of(specFile), specFile, config != null ? params : Map.of(), registry);
      plan = OutputResolver.resolve(plan, registry, runDir.toString());
      List<String> args = beamArgs.isEmpty() && old.beamArgs() != null ? old.beamArgs() : beamArgs;
      prepared = RunLauncher.prepare(plan, runDir, args, registry, specFile);
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, err);
    } catch (RunLauncher.PreflightException e) {
      return e.report("resume", err);
    } catch (IllegalArgumentException e) {
      return ExitCodes.badInput(err, "resume", e.getMessage());
    }
    RunDirectory directory = RunDirectory.open(runDir, clock);
    try {
      if (!directory.lock()) {
        return ExitCodes.badInput(err, "resume", "run " + view.id() + " is being run by another process (it holds "
            + runDir.resolve(".lock") + "); wait for it, or stop it with reelset cancel " + view.id());
      }
      directory.writeSpec(SpecWriter.toYaml(prepared.plan().spec()));
      RunDirectory.deleteTree(runDir.resolve("failures")); // written again, whole, at the end of this attempt
      RunLauncher.pruneCheckpoints(runDir, Fingerprints.of(prepared.plan(), registry), out, view.id());
    } catch (IOException e) {
      return ExitCodes.badInput(err, "resume", "cannot prepare the run directory " + runDir + ": " + e.getMessage());
    }
    directory.event("resume_requested", Map.of("previous_state", view.state().text(),
        "attempt", io.reelset.run.RunTracker.attempt(old)));
    return RunLauncher.execute(prepared, directory, specFile, old, progress.interval, out, err, clock);
  }
}
