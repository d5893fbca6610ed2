package io.reelset.plan;

import io.reelset.spec.PipelineSpec;
import io.reelset.spec.StageSpec;
import java.util.List;
import java.util.Map;

/**
 * A validated pipeline in execution order.
 *
 * @param order every stage, each after all the stages it depends on (Kahn's order, ties broken by
 *     the order of the file)
 * @param groups the stages by step: every stage of a step depends only on earlier steps, so the
 *     stages of one step can run side by side
 * @param downstream for each stage id, the ids of the stages that read its output, in file order
 */
public record Plan(
    PipelineSpec spec,
    List<StageSpec> order,
    List<List<StageSpec>> groups,
    Map<String, List<String>> downstream) {

  public Plan {
    order = List.copyOf(order);
    groups = groups.stream().map(List::copyOf).toList();
    downstream = Map.copyOf(downstream);
  }

  public String name() {
    return spec.name();
  }

  public StageSpec stage(String id) {
    return spec.stage(id).orElseThrow(() -> new IllegalArgumentException("no stage '" + id + "'"));
  }

  /** This plan with the stages replaced by {@code resolved} (same ids, same order). */
  Plan withStages(List<StageSpec> resolved) {
    Map<String, StageSpec> byId = new java.util.HashMap<>();
    resolved.forEach(s -> byId.put(s.id(), s));
    return new Plan(
        spec.withStages(resolved),
        order.stream().map(s -> byId.get(s.id())).toList(),
        groups.stream().map(g -> g.stream().map(s -> byId.get(s.id())).toList()).toList(),
        downstream);
  }
}
