package io.reelset.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reelset.compile.StageRegistry;
import io.reelset.spec.SpecException;
import io.reelset.spec.YamlReader;
import io.reelset.spec.StageSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();

  private static Plan plan(String yaml) throws SpecException {
    return OutputResolver.resolve(
        io.reelset.plan.Planner.plan(io.reelset.spec.SpecLoader.fromYaml(
            YamlReader.parse(yaml, "p.yaml"), "p.yaml", Map.of(), REGISTRY), REGISTRY),
        REGISTRY, "/runs/r");
  }

  private static String join(String id, String... deps) {
    return "  - id: " + id + "\n    type: test_join\n    depends_on: [" + String.join(", ", deps) + "]\n";
  }

  private static final String SOURCE = "name: p\nstages:\n  - id: s\n    type: test_source\n    config: {items: [x]}\n";

  @Test
  void kahnOrderKeepsFileOrderWithinAStep() throws SpecException {
    Plan plan = plan(SOURCE + join("z", "s") + join("y", "s") + join("x", "y", "z"));
    assertEquals(List.of("s", "z", "y", "x"), plan.order().stream().map(StageSpec::id).toList());
    assertEquals(List.of(List.of("s"), List.of("z", "y"), List.of("x")),
        plan.groups().stream().map(g -> g.stream().map(StageSpec::id).toList()).toList());
    assertEquals(Map.of("s", List.of("z", "y"), "z", List.of("x"), "y", List.of("x"), "x", List.of()),
        plan.downstream());
  }

  @Test
  void everyCycleIsReportedOnceAndStagesBelowACycleAreNot() {
    SpecException e = assertThrows(SpecException.class, () -> plan(SOURCE
        + join("a", "s", "b") + join("b", "a")
        + join("c", "s", "e") + join("d", "c") + join("e", "d")
        + join("below", "a", "e")));
    assertEquals(List.of(
        "p.yaml:8:21: stage 'a': depends_on: dependency cycle a -> b -> a",
        "p.yaml:14:21: stage 'c': depends_on: dependency cycle c -> d -> e -> c"), e.lines());
  }

  @Test
  void outputDirsThatReferToEachOtherAreACycle() {
    String yaml = SOURCE.replace("config: {items: [x]}", "config: {items: [x], output_dir: \"{t.output_dir}/s\"}")
        + "  - id: t\n    type: test_join\n    depends_on: [s]\n    config: {output_dir: \"{s.output_dir}/t\"}\n";
    SpecException e = assertThrows(SpecException.class, () -> plan(yaml));
    assertEquals(List.of("p.yaml:3:5: stage 's': config.output_dir: output_dir refers back to itself through s -> t"),
        e.lines());
  }

  @Test
  void pathsAreNormalisedWithoutTouchingTheDisk() {
    assertEquals("/a/c", OutputResolver.normalize("/a/./b/../c"));
    assertEquals("gs://bucket/y", OutputResolver.normalize("gs://bucket/x/../y"));
    assertEquals("../up", OutputResolver.normalize("../up"));
    assertEquals("/runs/r/dataset", OutputResolver.join("/runs/r/", "frames/../dataset"));
    assertEquals("/abs", OutputResolver.join("/runs/r", "/abs"));
  }
}
