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
      return new DigestCoder();
    }

    @Override
    public Coder<FailureDigest> getDefaultOutputCoder(CoderRegistry registry, Coder<Failure> input) {
      return new DigestCoder();
    }
  }

  /** The counts per stage (in stage order) and the rows shown (sorted, at most {@link #ROWS}): deterministic bytes. */
  static final class DigestCoder extends org.apache.beam.sdk.coders.AtomicCoder<FailureDigest> {
    private static final long serialVersionUID = 1L;
    private static final Coder<java.util.Map<String, Long>> COUNTS = org.apache.beam.sdk.coders.MapCoder.of(
        org.apache.beam.sdk.coders.StringUtf8Coder.of(), org.apache.beam.sdk.coders.VarLongCoder.of());
    private static final Coder<List<Failure>> ROWS_CODER =
        org.apache.beam.sdk.coders.ListCoder.of(io.reelset.values.FailureCoder.of());

    @Override
    public void encode(FailureDigest digest, java.io.OutputStream out) throws java.io.IOException {
      COUNTS.encode(digest.byStage, out);
      ROWS_CODER.encode(digest.firstRows(), out); // sorted and cut as they are shown: the same for equal digests
    }

    @Override
    public FailureDigest decode(java.io.InputStream in) throws java.io.IOException {
      FailureDigest digest = new FailureDigest();
      digest.byStage.putAll(COUNTS.decode(in));
      digest.rows.addAll(ROWS_CODER.decode(in));
      return digest;
    }

    @Override
    public void verifyDeterministic() {
      // a TreeMap in key order and the sorted rows: equal digests give equal bytes
    }
  }
}
