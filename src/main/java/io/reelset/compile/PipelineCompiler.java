package io.reelset.compile;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.StageMetrics;
import io.reelset.plan.Plan;
import io.reelset.spec.ResourceSpec;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import org.apache.beam.sdk.transforms.Flatten;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.resourcehints.ResourceHints;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;

/**
 * Builds one Beam {@link Pipeline} from a {@link Plan} whose outputs are resolved.
 *
 * <p>Stages are applied in plan order, each as a composite named after its stage id (so step names
 * are stable across runs) carrying the stage's {@code resources} as Beam resource hints. Every
 * stage's failures go to one sink, {@link WriteFailures}, writing {@code <run>/failures/}.
 */
public final class PipelineCompiler {
  /** Step name of the failure sink; stage ids start with a letter, so it cannot clash. */
  public static final String FAILURES_STEP = "_failures";
  /** The run directory's folder of completion records. */
  public static final String CHECKPOINTS = "checkpoints";

  private PipelineCompiler() {}

  public static CompiledPipeline compile(
      Pipeline pipeline, Plan plan, StageRegistry registry, String runDir) {
    return compile(pipeline, plan, registry, runDir, false);
  }

  /**
   * As {@link #compile(Pipeline, Plan, StageRegistry, String)}; with {@code resumable}, every
   * stage records the items it completed under {@code <run>/checkpoints/<stage id>/<fingerprint>/}
   * and reads back the items an earlier run of the same directory completed.
   */
  public static CompiledPipeline compile(
      Pipeline pipeline, Plan plan, StageRegistry registry, String runDir, boolean resumable) {
    Map<String, String> fingerprints = resumable ? Fingerprints.of(plan, registry) : Map.of();
    Map<String, PCollection<?>> outputs = new LinkedHashMap<>();
    List<PCollection<Failure>> failures = new ArrayList<>();
    List<StageResult.RunReport> reports = new ArrayList<>();
    for (StageSpec stage : plan.order()) {
      StageProvider provider = registry.provider(stage.type());
      ApplyStage transform = new ApplyStage(provider, context(stage, runDir, fingerprints), stage.dependsOn());
      transform.setResourceHints(resourceHints(stage.resources()));
      PInput input;
      if (stage.dependsOn().isEmpty()) {
        input = PBegin.in(pipeline);
      } else {
        List<PCollection<Object>> upstream = new ArrayList<>();
        for (String dep : stage.dependsOn()) {
          @SuppressWarnings("unchecked")
          PCollection<Object> output = (PCollection<Object>) outputs.get(dep);
          upstream.add(output);
        }
        input = PCollectionList.of(upstream);
      }
      PCollectionTuple result = applyTo(input, stage.id(), transform);
      if (transform.runReport() != null) {
        reports.add(transform.runReport());
      }
      outputs.put(stage.id(), result.get(ApplyStage.OUTPUT));
      failures.add(result.get(ApplyStage.FAILURES));
    }
    PCollectionList<Failure> all = PCollectionList.of(failures);
    all.apply(FAILURES_STEP, WriteFailures.to(join(runDir, "failures")));
    if (!reports.isEmpty()) {
      PCollection<Failure> everyFailure = all.apply(FAILURES_STEP + "All", Flatten.pCollections())
          .setCoder(FailureCoder.of());
      reports.forEach(report -> report.expand(everyFailure));
    }
    return new CompiledPipeline(pipeline, outputs, all);
  }

  private static StageContext context(StageSpec stage, String runDir, Map<String, String> fingerprints) {
    String fingerprint = fingerprints.get(stage.id());
    return new StageContext(stage.id(), stage.type(), stage.config(),
        stage.config().getString(StageTypeInfo.OUTPUT_DIR), runDir, stage.retry(),
        fingerprint == null ? null : Checkpoints.in(checkpointDir(runDir, stage.id(), fingerprint)));
  }

  /** Where a stage's completion records for one fingerprint live. */
  public static String checkpointDir(String runDir, String stageId, String fingerprint) {
    return join(join(join(runDir, CHECKPOINTS), stageId), fingerprint);
  }

  private static PCollectionTuple applyTo(PInput input, String name, ApplyStage transform) {
    return Pipeline.applyTransform(name, input, transform);
  }

  /** The Beam hints for a stage's {@code resources} block. */
  public static ResourceHints resourceHints(ResourceSpec resources) {
    ResourceHints hints = ResourceHints.create();
    if (resources.minRamBytes() != null) {
      hints = hints.withMinRam(resources.minRamBytes());
    }
    if (resources.accelerator() != null) {
      hints = hints.withAccelerator(resources.accelerator());
    }
    if (resources.cpuCount() != null) {
      hints = hints.withCPUCount(resources.cpuCount());
    }
    return hints;
  }

  static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }
}
