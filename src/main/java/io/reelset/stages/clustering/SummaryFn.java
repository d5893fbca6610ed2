package io.reelset.stages.clustering;

import io.reelset.vision.cluster.MicroClusters;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine;

/** What both combines share: the accumulator, its merge and its coder. */
abstract class SummaryFn<I> extends Combine.CombineFn<I, MicroClusters, MicroClusters> {
  private static final long serialVersionUID = 1L;
  private final int capacity;
  private final double radius;

  SummaryFn(int capacity, double radius) {
    this.capacity = capacity;
    this.radius = radius;
  }

  @Override
  public MicroClusters createAccumulator() {
    return new MicroClusters(capacity, radius);
  }

  @Override
  public MicroClusters mergeAccumulators(Iterable<MicroClusters> summaries) {
    MicroClusters merged = createAccumulator();
    for (MicroClusters summary : summaries) {
      merged.merge(summary);
    }
    return merged;
  }

  @Override
  public MicroClusters extractOutput(MicroClusters summary) {
    return summary;
  }

  @Override
  public Coder<MicroClusters> getAccumulatorCoder(CoderRegistry registry, Coder<I> input) {
    return MicroClusterFn.SummaryCoder.INSTANCE;
  }

  @Override
  public Coder<MicroClusters> getDefaultOutputCoder(CoderRegistry registry, Coder<I> input) {
    return MicroClusterFn.SummaryCoder.INSTANCE;
  }
}
