package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.spec.SpecException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code reelset validate FILE}: checks a pipeline file and reports every problem at once. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a pipeline file; print every problem with FILE:LINE:COL.")
final class ValidateCommand implements Callable<Integer> {
  @Mixin PipelineFileOptions pipeline;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    try {
      StageRegistry registry = StageRegistry.discover();
      Plan plan = pipeline.validate(registry);
      spec.commandLine().getOut().printf("%s: ok (pipeline %s, %d stages in %d steps)%n",
          pipeline.file, plan.name(), plan.order().size(), plan.groups().size());
      return ExitCodes.OK;
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, spec.commandLine().getErr());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println(io.reelset.spec.Printable.lines(pipeline.file + ": " + e.getMessage()));
      return ExitCodes.BAD_INPUT;
    }
  }
}
