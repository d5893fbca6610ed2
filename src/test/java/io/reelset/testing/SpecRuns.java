package io.reelset.testing;

import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import java.nio.file.Path;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/** Runs a pipeline file in this JVM on the DirectRunner, as a stage test needs it: no CLI, no preflight. */
public final class SpecRuns {
  private SpecRuns() {}

  /** Loads {@code spec}, compiles it with {@code runDir} as its run directory, runs it to the end. */
  public static void run(Path spec, StageRegistry registry, Path runDir) throws Exception {
    Plan plan = PlanLoader.load(spec, spec.getFileName().toString(), Map.of(), registry, runDir.toString());
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.create());
    PipelineCompiler.compile(pipeline, plan, registry, runDir.toString());
    pipeline.run().waitUntilFinish();
  }
}
