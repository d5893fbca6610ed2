package io.reelset.run;

import io.reelset.kit.StageMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** Reads the per-stage counters of a running or finished pipeline from its Beam metrics. */
final class StageCounters {
  private StageCounters() {}

  /**
   * Counters by stage id (in {@code stageIds} order, every stage present) and name (sorted).
   * Attempted values are used: every runner reports them, also while the job runs.
   */
  static Map<String, Map<String, Long>> read(PipelineResult result, List<String> stageIds) {
    Map<String, Map<String, Long>> counters = new LinkedHashMap<>();
    stageIds.forEach(id -> counters.put(id, new TreeMap<>()));
    MetricQueryResults metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    for (MetricResult<Long> counter : metrics.getCounters()) {
      String stage = StageMetrics.stageOf(counter.getName().getNamespace());
      Long value = counter.getAttempted();
      if (stage != null && counters.containsKey(stage) && value != null) {
        counters.get(stage).merge(counter.getName().getName(), value, Long::sum);
      }
    }
    return counters;
  }
}
