package io.reelset.compile;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.Retry;
import io.reelset.kit.StageMetrics;
import io.reelset.spec.RetrySpec;
import io.reelset.spec.StageConfig;
import java.io.Serializable;

/**
 * What a stage provider knows about the stage it expands: its id, its resolved config, where it
 * writes, and its retry policy for transient errors.
 *
 * @param outputDir the stage's {@code output_dir}, resolved under the run directory
 * @param runDir the run directory (local path or URI)
 * @param checkpoints where the stage records the items it completed (under its fingerprint), or
 *     null when the run keeps no records
 */
public record StageContext(
    String stageId, String type, StageConfig config, String outputDir, String runDir, RetrySpec retry,
    Checkpoints checkpoints) implements Serializable {

  public StageContext(String stageId, String type, StageConfig config, String outputDir, String runDir,
      RetrySpec retry) {
    this(stageId, type, config, outputDir, runDir, retry, null);
  }

  /** The stage's retry policy, counting in its metrics namespace. */
  public Retry retryPolicy() {
    return Retry.of(retry == null ? RetrySpec.DEFAULT : retry, metricsNamespace());
  }

  /** The Beam metrics namespace of this stage; counters in it show in the run's status. */
  public String metricsNamespace() {
    return StageMetrics.namespace(stageId);
  }
}
