package io.reelset.compile;

import io.reelset.spec.RetrySpec;
import io.reelset.spec.StageConfig;
import java.io.Serializable;

/**
 * What a stage provider knows about the stage it expands: its id, its resolved config, where it
 * writes, and its retry policy for transient errors.
 *
 * @param outputDir the stage's {@code output_dir}, resolved under the run directory
 * @param runDir the run directory (local path or URI)
 */
public record StageContext(
    String stageId, String type, StageConfig config, String outputDir, String runDir, RetrySpec retry)
    implements Serializable {

  /** The Beam metrics namespace of this stage; counters in it show in the run's status. */
  public String metricsNamespace() {
    return StageMetrics.namespace(stageId);
  }
}
