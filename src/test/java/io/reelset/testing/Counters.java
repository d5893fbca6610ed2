package io.reelset.testing;

import io.reelset.kit.StageMetrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricNameFilter;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/** A finished pipeline's counters of one stage, summed over steps (attempted values). */
public final class Counters {
  private Counters() {}

  public static Map<String, Long> of(PipelineResult result, String stageId, List<String> names) {
    Map<String, Long> counters = new TreeMap<>();
    for (String counter : names) {
      long sum = 0;
      for (MetricResult<Long> m : result.metrics().queryMetrics(MetricsFilter.builder()
          .addNameFilter(MetricNameFilter.named(StageMetrics.namespace(stageId), counter)).build()).getCounters()) {
        sum += m.getAttempted();
      }
      counters.put(counter, sum);
    }
    return counters;
  }
}
