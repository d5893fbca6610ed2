package io.reelset.compile;

import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * The outputs of a stage's upstream stages, by stage id in {@code depends_on} order; empty for a
 * source stage, which starts from {@link #begin()}.
 */
public final class StageInputs {
  private final Pipeline pipeline;
  private final Map<String, PCollection<?>> upstream;

  StageInputs(Pipeline pipeline, Map<String, PCollection<?>> upstream) {
    this.pipeline = pipeline;
    this.upstream = Collections.unmodifiableMap(new LinkedHashMap<>(upstream));
  }

  public PBegin begin() {
    return PBegin.in(pipeline);
  }

  public Map<String, PCollection<?>> all() {
    return upstream;
  }

  /**
   * All upstream outputs as one collection of {@code type}: the single input itself, or the
   * inputs flattened together.
   */
  public <T> PCollection<T> merged(Class<T> type) {
    if (upstream.isEmpty()) {
      throw new IllegalStateException("a source stage has no upstream input");
    }
    return merge(Object.class, "MergeInputs");
  }

  /**
   * The upstream outputs whose coder is a {@code coderType}, as one collection of {@code type}, for
   * a stage that reads values of more than one kind; null when no upstream gives that kind.
   */
  public <T> PCollection<T> merged(Class<T> type, Class<?> coderType) {
    return merge(coderType, "Merge" + type.getSimpleName());
  }

  /** The inputs whose coder is a {@code coderType}: the one itself, or flattened; null for none. */
  @SuppressWarnings("unchecked")
  private <T> PCollection<T> merge(Class<?> coderType, String step) {
    List<PCollection<T>> typed = new ArrayList<>();
    for (PCollection<?> input : upstream.values()) {
      if (coderType.isInstance(input.getCoder())) {
        typed.add((PCollection<T>) input);
      }
    }
    if (typed.size() <= 1) {
      return typed.isEmpty() ? null : typed.get(0);
    }
    return PCollectionList.of(typed).apply(step, Flatten.pCollections()).setCoder(typed.get(0).getCoder());
  }

  /** An empty failure collection, for stages that cannot fail per item. */
  public PCollection<Failure> noFailures() {
    return begin().apply("NoFailures", Create.empty(FailureCoder.of()));
  }
}
