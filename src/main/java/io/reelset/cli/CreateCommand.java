package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.run.Pipelines;
import io.reelset.spec.SpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelset create --config FILE}: validates a pipeline (as {@code validate} does), keeps a
 * copy with its params, and prints its id for {@code reelset run --pipeline-id ID}.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = {
    "Register a validated pipeline and print its id; run it with reelset run --pipeline-id ID.",
    "Exit code: 0, or 2 when the pipeline is not valid."})
final class CreateCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, paramLabel = "FILE", description = "The pipeline YAML file.")
  String config;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Override a param declared in the file; kept with the pipeline. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where runs and registered pipelines are kept (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PipelineFileOptions pipeline = new PipelineFileOptions();
    pipeline.file = config;
    pipeline.params = params;
    try {
      StageRegistry registry = StageRegistry.discover();
      Plan plan = pipeline.validate(registry);
      Pipelines.Registered registered = Pipelines.register(runsDir, plan.name(), Path.of(config), params);
      spec.commandLine().getOut().println(registered.id());
      spec.commandLine().getOut().flush();
      err.printf("pipeline %s (%d stages) registered as %s; run it with: reelset run --pipeline-id %s%n",
          plan.name(), plan.order().size(), registered.id(), registered.id());
      err.flush();
      return ExitCodes.OK;
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, err);
    } catch (IllegalArgumentException e) {
      err.println(config + ": " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    } catch (IOException e) {
      err.println("reelset create: cannot register " + config + " in " + runsDir + ": " + e.getMessage());
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
  }
}
