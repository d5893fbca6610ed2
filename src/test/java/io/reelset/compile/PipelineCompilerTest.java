package io.reelset.compile;

import io.reelset.kit.StageMetrics;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.reelset.plan.OutputResolver;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.values.Failure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Compiles the diamond a → b, a → c, {b, c} → d of test stages and runs it on the DirectRunner. */
@ExtendWith(TestPipelineExtension.class)
class PipelineCompilerTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final Path SPECS = Path.of("src/test/resources/specs/valid");

  @TempDir Path runDir;

  private CompiledPipeline compile(Pipeline pipeline, String spec) throws Exception {
    Plan plan = PlanLoader.load(SPECS.resolve(spec), spec, Map.of(), REGISTRY, runDir.toString());
    return PipelineCompiler.compile(pipeline, plan, REGISTRY, runDir.toString());
  }

  @Test
  @SuppressWarnings("unchecked")
  void diamondRunsAndRoutesEveryFailureToTheSink(TestPipeline pipeline) throws Exception {
    CompiledPipeline compiled = compile(pipeline, "diamond.yaml");

    PAssert.that((PCollection<String>) compiled.outputs().get("a")).containsInAnyOrder("x", "y");
    PAssert.that((PCollection<String>) compiled.outputs().get("b")).containsInAnyOrder("x-b");
    PAssert.that((PCollection<String>) compiled.outputs().get("c")).containsInAnyOrder("-c|x", "-c|y");
    PAssert.that((PCollection<String>) compiled.outputs().get("d"))
        .containsInAnyOrder("joined:x-b", "joined:-c|x", "joined:-c|y");
    PAssert.that(compiled.failures().apply(Flatten.pCollections())).containsInAnyOrder(
        new Failure("a", "bad", "cannot read item", ""),
        new Failure("b", "y", "cannot map item", "java.lang.IllegalStateException: refusing y"));

    PipelineResult result = pipeline.run();
    result.waitUntilFinish();

    assertEquals(
        "{\"stage\":\"a\",\"item\":\"bad\",\"error\":\"cannot read item\",\"cause\":\"\"}\n",
        Files.readString(runDir.resolve("failures/a.jsonl")));
    assertEquals(
        "{\"stage\":\"b\",\"item\":\"y\",\"error\":\"cannot map item\","
            + "\"cause\":\"java.lang.IllegalStateException: refusing y\"}\n",
        Files.readString(runDir.resolve("failures/b.jsonl")));
    assertFalse(Files.exists(runDir.resolve("failures/c.jsonl")), "a stage without failures gets no file");
    try (var files = Files.list(runDir.resolve("failures"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList(),
          contains("a.jsonl", "b.jsonl"));
    }

    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> counter : result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (StageMetrics.stageOf(counter.getName().getNamespace()) != null) {
        counters.merge(counter.getName().getNamespace() + ":" + counter.getName().getName(),
            counter.getAttempted(), Long::sum);
      }
    }
    assertThat(counters, equalTo(Map.of(
        "reelset/a:output", 2L, "reelset/a:failures", 1L,
        "reelset/b:output", 1L, "reelset/b:failures", 1L,
        "reelset/c:output", 2L,
        "reelset/d:output", 3L)));
  }

  @Test
  void stepsAreNamedAfterStageIdsAndCarryTheirResourceHints(TestPipeline pipeline) throws Exception {
    compile(pipeline, "outputs.yaml");
    List<String> topLevel = new ArrayList<>();
    Map<String, ResourceHints> hints = new HashMap<>();
    pipeline.traverseTopologically(new Pipeline.PipelineVisitor.Defaults() {
      @Override
      public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
        if (node.getEnclosingNode() != null && node.getEnclosingNode().isRootNode()) {
          topLevel.add(node.getFullName());
          hints.put(node.getFullName(), node.getTransform().getResourceHints());
        }
        return CompositeBehavior.ENTER_TRANSFORM;
      }
    });
    assertThat(topLevel, containsInAnyOrder("frames", "dataset", "report", PipelineCompiler.FAILURES_STEP));
    assertEquals(ResourceHints.create().withMinRam(4L << 30).withAccelerator("type:nvidia-l4;count:1")
        .withCPUCount(2), hints.get("frames"));
    assertEquals(ResourceHints.create(), hints.get("dataset"));
    pipeline.run().waitUntilFinish();
  }

  @Test
  void resolvedOutputDirsLandUnderTheRunDirectory() throws Exception {
    Plan plan = PlanLoader.load(SPECS.resolve("outputs.yaml"), "outputs.yaml", Map.of(), REGISTRY,
        runDir.toString());
    assertEquals(runDir + "/frames", plan.stage("frames").config().getString("output_dir"));
    assertEquals(runDir + "/dataset", plan.stage("dataset").config().getString("output_dir"));
    assertEquals(runDir + "/frames", plan.stage("dataset").config().getString("suffix"));
    assertEquals("/srv/reports/report.html", plan.stage("report").config().getString("tag"));
    assertFalse(OutputResolver.RUN_PLACEHOLDER.isEmpty());
  }
}
