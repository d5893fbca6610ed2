package io.reelset.stages.dataset;

import io.reelset.values.Failure;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.Combine;

/** The run's failures in bounded form: a count per stage and the first {@value #ROWS} by stage and key. */
final class FailureDigest implements Serializable {
  private static final long serialVersionUID = 1L;
  static final int ROWS = 200;
  private static final Comparator<Failure> ORDER =
      Comparator.comparing(Failure::stageId).thenComparing(Failure::itemKey).thenComparing(Failure::error);

  final Map<String, Long> byStage = new TreeMap<>();
  final List<Failure> rows = new ArrayList<>();

  /** Equal when they count the same failures per stage and keep the same rows, in any order. */
  @Override
  public boolean equals(Object other) {
    return other instanceof FailureDigest d && d.byStage.equals(byStage) && d.firstRows().equals(firstRows());
  }

  @Override
  public int hashCode() {
    return byStage.hashCode();
  }

  void add(Failure f) {
    byStage.merge(f.stageId(), 1L, Long::sum);
    rows.add(f);
    trim();
  }

  void addAll(FailureDigest other) {
    other.byStage.forEach((stage, n) -> byStage.merge(stage, n, Long::sum));
    rows.addAll(other.rows);
    trim();
  }

  private void trim() {
    if (rows.size() > 2 * ROWS) {
      rows.sort(ORDER);
      rows.subList(ROWS, rows.size()).clear();
    }
  }

  List<Failure> firstRows() {
    List<Failure> sorted = new ArrayList<>(rows);
    sorted.sort(ORDER);
    return sorted.subList(0, Math.min(ROWS, sorted.size()));
  }

  long total() {
    return byStage.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Digests a collection of failures. */
  static final class Fn extends Combine.CombineFn<Failure, FailureDigest, FailureDigest> {
    private static final long serialVersionUID = 1L;

    @Override
    public FailureDigest createAccumulator() {
      return new FailureDigest();
    }

    @Override
    public FailureDigest addInput(FailureDigest digest, Failure f) {
      digest.add(f);
      return digest;
    }

    @Override
    public FailureDigest mergeAccumulators(Iterable<FailureDigest> digests) {
      FailureDigest merged = new FailureDigest();
      digests.forEach(merged::addAll);
      return merged;
    }

    @Override
    public FailureDigest extractOutput(FailureDigest digest) {
      return digest;
    }

    @Override
    public Coder<FailureDigest> getAccumulatorCoder(CoderRegistry registry, Coder<Failure> input) {
      return SerializableCoder.of(FailureDigest.class);
    }

    @Override
    public Coder<FailureDigest> getDefaultOutputCoder(CoderRegistry registry, Coder<Failure> input) {
      return SerializableCoder.of(FailureDigest.class);
    }
  }
}
