package io.reelset.spec;

import java.util.List;
import java.util.Map;

/**
 * One validated stage of a pipeline file.
 *
 * @param dependsOnMarks where each entry of {@code depends_on} was written
 * @param maxFailureRatio the share of failed items above which the run fails; null for no limit
 */
public record StageSpec(
    String id,
    String type,
    List<String> dependsOn,
    StageConfig config,
    ResourceSpec resources,
    RetrySpec retry,
    Double maxFailureRatio,
    Mark mark,
    Map<String, Mark> dependsOnMarks) {

  public StageSpec {
    dependsOn = List.copyOf(dependsOn);
    dependsOnMarks = Map.copyOf(dependsOnMarks);
  }

  /** This stage with another config (used once templates are resolved). */
  public StageSpec withConfig(StageConfig newConfig) {
    return new StageSpec(id, type, dependsOn, newConfig, resources, retry, maxFailureRatio, mark,
        dependsOnMarks);
  }

  public Mark dependencyMark(String dependency) {
    return dependsOnMarks.getOrDefault(dependency, mark);
  }
}
