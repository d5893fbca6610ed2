package io.reelset.plan;

import io.reelset.spec.PipelineSpec;
import io.reelset.spec.SpecException;
import io.reelset.spec.SpecLoader;
import io.reelset.spec.SpecProblem;
import io.reelset.spec.StageCatalog;
import io.reelset.spec.YamlReader;
import io.reelset.spec.YamlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * From a pipeline file to a resolved {@link Plan} in one call: reads the YAML, applies params,
 * validates every stage, checks the dependencies, and resolves stage outputs under a run
 * directory. Problems of all these steps are reported together.
 */
public final class PlanLoader {
  private PlanLoader() {}

  /**
   * @param displayName how messages name the file
   * @param runDir the run directory, or {@link OutputResolver#RUN_PLACEHOLDER} to show a plan
   */
  public static Plan load(Path file, String displayName, Map<String, String> overrides,
      StageCatalog catalog, String runDir) throws SpecException {
    return OutputResolver.resolve(load(file, displayName, overrides, catalog), catalog, runDir);
  }

  /** The plan with outputs not yet resolved; see {@link OutputResolver#resolve}. */
  public static Plan load(Path file, String displayName, Map<String, String> overrides,
      StageCatalog catalog) throws SpecException {
    return plan(YamlReader.read(file, displayName), displayName, overrides, catalog);
  }

  private static Plan plan(YamlValue root, String displayName, Map<String, String> overrides,
      StageCatalog catalog) throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    PipelineSpec spec = SpecLoader.parse(root, displayName, overrides, catalog, problems);
    Plan plan = null;
    if (spec != null && !spec.stages().isEmpty()) {
      try {
        plan = Planner.plan(spec, catalog);
      } catch (SpecException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return plan;
  }
}
