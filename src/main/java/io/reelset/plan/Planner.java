package io.reelset.plan;

import io.reelset.spec.Mark;
import io.reelset.spec.PipelineSpec;
import io.reelset.spec.SpecException;
import io.reelset.spec.SpecProblem;
import io.reelset.spec.StageCatalog;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import io.reelset.spec.Suggestions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the dependencies of a {@link PipelineSpec} and orders its stages into a {@link Plan}.
 *
 * <p>Reports, all at once: a dependency on a stage that does not exist, a stage that depends on
 * itself, every cycle (printed in data-flow order, {@code a -> b -> c -> a}), a source stage with
 * dependencies, a stage without the upstream it needs, and an upstream whose values the stage
 * cannot read.
 */
public final class Planner {
  private Planner() {}

  public static Plan plan(PipelineSpec spec, StageCatalog catalog) throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, StageSpec> byId = new LinkedHashMap<>();
    spec.stages().forEach(s -> byId.putIfAbsent(s.id(), s));
    Map<String, List<String>> upstream = new LinkedHashMap<>();
    for (StageSpec stage : byId.values()) {
      List<String> edges = new ArrayList<>();
      for (String dep : stage.dependsOn()) {
        Mark at = stage.dependencyMark(dep);
        if (dep.equals(stage.id())) {
          problems.add(new SpecProblem(at, stage.id(), "depends_on", "depends on itself"));
        } else if (!byId.containsKey(dep)) {
          problems.add(new SpecProblem(at, stage.id(), "depends_on", "depends on '" + dep
              + "', which is not a stage" + Suggestions.didYouMean(dep, byId.keySet())
              + "; stages: " + String.join(", ", byId.keySet())));
        } else {
          edges.add(dep);
        }
      }
      upstream.put(stage.id(), edges);
      checkKinds(stage, edges, byId, catalog, problems);
    }
    Map<String, List<String>> downstream = new LinkedHashMap<>();
    byId.keySet().forEach(id -> downstream.put(id, new ArrayList<>()));
    upstream.forEach((id, deps) -> deps.forEach(dep -> downstream.get(dep).add(id)));

    List<List<StageSpec>> groups = new ArrayList<>();
    Map<String, Integer> waiting = new HashMap<>();
    upstream.forEach((id, deps) -> waiting.put(id, deps.size()));
    List<String> ready = byId.keySet().stream().filter(id -> waiting.get(id) == 0).toList();
    Set<String> placed = new HashSet<>();
    while (!ready.isEmpty()) {
      groups.add(ready.stream().map(byId::get).toList());
      placed.addAll(ready);
      Set<String> next = new LinkedHashSet<>();
      for (String id : ready) {
        for (String child : downstream.get(id)) {
          if (waiting.merge(child, -1, Integer::sum) == 0) {
            next.add(child);
          }
        }
      }
      ready = byId.keySet().stream().filter(next::contains).toList();
    }
    if (placed.size() < byId.size()) {
      reportCycles(byId, downstream, placed, problems);
    }
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    List<StageSpec> order = groups.stream().flatMap(List::stream).toList();
    return new Plan(spec, order, groups, downstream);
  }

  private static void checkKinds(StageSpec stage, List<String> deps, Map<String, StageSpec> byId,
      StageCatalog catalog, List<SpecProblem> problems) {
    Optional<StageTypeInfo> info = catalog.find(stage.type());
    if (info.isEmpty()) {
      return;
    }
    if (info.get().isSource() && !stage.dependsOn().isEmpty()) {
      problems.add(new SpecProblem(stage.dependencyMark(stage.dependsOn().get(0)), stage.id(),
          "depends_on", "a " + stage.type() + " stage reads no upstream output; remove depends_on"));
      return;
    }
    if (!info.get().isSource() && stage.dependsOn().isEmpty()) {
      problems.add(new SpecProblem(stage.mark(), stage.id(), "depends_on", "a " + stage.type()
          + " stage needs an upstream stage that produces "
          + String.join(" or ", info.get().inputKinds()) + "; add depends_on"));
      return;
    }
    String first = null;
    for (String dep : deps) {
      String kind = outputKind(dep, byId, catalog, new HashSet<>());
      if (kind != null && !accepts(info.get(), kind)) {
        problems.add(new SpecProblem(stage.dependencyMark(dep), stage.id(), "depends_on", "'" + dep
            + "' (" + byId.get(dep).type() + ") produces " + kind
            + ", but a " + stage.type() + " stage reads " + String.join(" or ", info.get().inputKinds())));
      } else if (kind != null && info.get().passesInputOn()) {
        if (first != null && !first.equals(kind)) {
          problems.add(new SpecProblem(stage.dependencyMark(dep), stage.id(), "depends_on", "'" + dep
              + "' produces " + kind + ", but the stage's other input produces " + first + "; a " + stage.type()
              + " stage passes on what it reads, so its inputs must be of one kind"));
        }
        first = kind;
      }
    }
  }

  /**
   * The kind of value stage {@code id} produces: its type's, or for a stage that passes its input
   * on, its first upstream's; null when unknown (an unknown type, no upstream, a cycle).
   */
  private static String outputKind(String id, Map<String, StageSpec> byId, StageCatalog catalog, Set<String> seen) {
    StageSpec stage = byId.get(id);
    if (stage == null || !seen.add(id)) {
      return null;
    }
    Optional<StageTypeInfo> info = catalog.find(stage.type());
    if (info.isEmpty()) {
      return null;
    }
    if (!info.get().passesInputOn()) {
      return info.get().outputKind();
    }
    return stage.dependsOn().isEmpty() ? null : outputKind(stage.dependsOn().get(0), byId, catalog, seen);
  }

  private static boolean accepts(StageTypeInfo info, String kind) {
    return info.inputKinds().contains(kind) || info.inputKinds().contains("Any");
  }

  /** Reports one cycle per strongly connected group of stages that Kahn's order could not place. */
  private static void reportCycles(Map<String, StageSpec> byId,
      Map<String, List<String>> downstream, Set<String> placed, List<SpecProblem> problems) {
    Set<String> reported = new HashSet<>();
    for (String start : byId.keySet()) {
      if (placed.contains(start) || reported.contains(start)) {
        continue;
      }
      List<String> cycle = shortestCycle(start, downstream, placed);
      if (cycle.isEmpty()) {
        continue; // downstream of a cycle, not on one
      }
      reported.addAll(cycle);
      String closing = cycle.get(cycle.size() - 2);
      StageSpec first = byId.get(start);
      problems.add(new SpecProblem(first.dependencyMark(closing), start, "depends_on",
          "dependency cycle " + String.join(" -> ", cycle)));
    }
  }

  /** The shortest path start -> ... -> start through unplaced stages, or empty if none. */
  private static List<String> shortestCycle(String start, Map<String, List<String>> downstream,
      Set<String> placed) {
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String node = queue.removeFirst();
      for (String child : downstream.get(node)) {
        if (placed.contains(child)) {
          continue;
        }
        if (child.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String at = node; at != null; at = parent.get(at)) {
            path.add(0, at);
          }
          path.add(start);
          return path;
        }
        if (!parent.containsKey(child) && !child.equals(start)) {
          parent.put(child, node);
          queue.addLast(child);
        }
      }
    }
    return List.of();
  }
}
