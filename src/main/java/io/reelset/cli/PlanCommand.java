package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.OutputResolver;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanRenderer;
import io.reelset.spec.SpecException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code reelset plan FILE}: shows the execution order as text, Graphviz DOT or Mermaid. */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Show the stages in execution order, grouped into steps that can run side by side.")
final class PlanCommand implements Callable<Integer> {
  @Mixin PipelineFileOptions pipeline;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
      description = "text, dot or mermaid (default: ${DEFAULT-VALUE}).")
  PlanRenderer.Format format;

  @Override
  public Integer call() {
    try {
      Plan plan = pipeline.load(StageRegistry.discover(), OutputResolver.RUN_PLACEHOLDER);
      spec.commandLine().getOut().print(PlanRenderer.render(plan, format));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (SpecException e) {
      return PipelineFileOptions.report(e, spec.commandLine().getErr());
    }
  }
}
