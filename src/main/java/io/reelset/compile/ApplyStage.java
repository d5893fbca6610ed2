package io.reelset.compile;

import io.reelset.kit.StageMetrics;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PInput;
import org.apache.beam.sdk.values.TupleTag;

/**
 * One stage as a composite transform: the provider's expansion plus counters of its output and
 * its failures. Its input is {@code PBegin} for a source stage, else the upstream outputs in
 * {@code depends_on} order.
 */
final class ApplyStage extends PTransform<PInput, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<Object> OUTPUT = new TupleTag<>("output");
  static final TupleTag<Failure> FAILURES = new TupleTag<>("failures");

  private final transient StageProvider<?> provider;
  private final StageContext context;
  private final List<String> upstreamIds;
  /** What the stage reports on the run, known once it is expanded. */
  private transient StageResult.RunReport runReport;

  ApplyStage(StageProvider<?> provider, StageContext context, List<String> upstreamIds) {
    this.provider = provider;
    this.context = context;
    this.upstreamIds = List.copyOf(upstreamIds);
  }

  @Override
  @SuppressWarnings("unchecked")
  public PCollectionTuple expand(PInput input) {
    Map<String, PCollection<?>> upstream = new LinkedHashMap<>();
    if (input instanceof PCollectionList<?> list) {
      for (int i = 0; i < upstreamIds.size(); i++) {
        upstream.put(upstreamIds.get(i), list.get(i));
      }
    }
    StageResult result = provider.expand(new StageInputs(input.getPipeline(), upstream), context);
    if (result == null || result.output() == null || result.failures() == null) {
      throw new IllegalStateException("stage type '" + provider.type() + "' returned no output or no failures");
    }
    runReport = result.runReport();
    PCollection<Object> output = (PCollection<Object>) result.output();
    PCollection<Object> counted = output
        .apply("CountOutput", ParDo.of(new CountElementsFn<>(context.metricsNamespace(), StageMetrics.OUTPUT)))
        .setCoder(output.getCoder());
    PCollection<Failure> failures = result.failures()
        .apply("CountFailures", ParDo.of(new CountElementsFn<Failure>(context.metricsNamespace(), StageMetrics.FAILURES)))
        .setCoder(FailureCoder.of());
    return PCollectionTuple.of(OUTPUT, counted).and(FAILURES, failures);
  }

  /** The stage's report on the run, or null; set by {@link #expand}. */
  StageResult.RunReport runReport() {
    return runReport;
  }
}
