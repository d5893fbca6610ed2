package io.reelset.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pipeline file after loading, parameter substitution and validation: every stage's type is
 * known and its config matches the type's schema. Dependencies are checked by the planner.
 */
public record PipelineSpec(
    String file, String name, String description, Map<String, Object> params, List<StageSpec> stages) {

  public PipelineSpec {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    stages = List.copyOf(stages);
  }

  public Optional<StageSpec> stage(String id) {
    return stages.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public PipelineSpec withStages(List<StageSpec> newStages) {
    return new PipelineSpec(file, name, description, params, newStages);
  }
}
