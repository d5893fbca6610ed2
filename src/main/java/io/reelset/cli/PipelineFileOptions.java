package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.spec.SpecException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The pipeline file and its {@code --param} overrides, shared by validate, plan and run. */
final class PipelineFileOptions {
  @Parameters(index = "0", paramLabel = "FILE", description = "The pipeline YAML file.")
  String file;

  @Option(names = "--param", paramLabel = "NAME=VALUE",
      description = "Override a param declared in the file, typed by it: a string param takes the text as"
          + " written, a number param a number, a list param a YAML list. Repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  /** The validated plan with every stage output resolved under {@code runDir}. */
  Plan load(StageRegistry registry, String runDir) throws SpecException {
    return PlanLoader.load(Path.of(file), file, params, registry, runDir);
  }

  /**
   * The plan, validated from the file and the stage catalogue alone: every field, every
   * combination of fields (the stages' config rules), the dependencies. Nothing outside the file
   * is touched: models, inputs and disks are the preflight's of {@code run}.
   */
  Plan validate(StageRegistry registry) throws SpecException {
    return load(registry, "/validate/run");
  }

  /** The validated plan with outputs not yet resolved. */
  Plan load(StageRegistry registry) throws SpecException {
    return PlanLoader.load(Path.of(file), file, params, registry);
  }

  /** Prints every problem, one per line, and a count. */
  static int report(SpecException e, PrintWriter err) {
    e.lines().forEach(err::println);
    int n = e.problems().size();
    err.println(n == 1 ? "1 problem found" : n + " problems found");
    err.flush();
    return ExitCodes.BAD_INPUT;
  }
}
