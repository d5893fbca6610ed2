package io.reelset.kit;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * A DoFn that works on micro-batches: elements are buffered up to {@code batchSize} and handed to
 * {@link #flush} together, and the rest at the end of the bundle, without artificial keys. Outputs
 * keep the timestamp and window of the element they come from.
 */
public abstract class BatchingDoFn<I, O> extends DoFn<I, O> {
  private static final long serialVersionUID = 1L;

  private final int batchSize;
  private transient List<Pending<I>> batch;

  /** A buffered element and where its outputs belong. */
  public record Pending<I>(I element, Instant timestamp, BoundedWindow window) {}

  /** Where outputs go: the process context or the finish-bundle context. */
  public interface Emitter {
    <T> void emit(TupleTag<T> tag, T value, Pending<?> from);
  }

  protected BatchingDoFn(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Handles a batch (never empty); every element's outputs and failures go to {@code out}. */
  protected abstract void flush(List<Pending<I>> batch, Emitter out);

  @StartBundle
  public void startBundle() {
    batch = new ArrayList<>();
  }

  @ProcessElement
  public void process(@Element I element, @Timestamp Instant timestamp, BoundedWindow window,
      MultiOutputReceiver out) {
    batch.add(new Pending<>(element, timestamp, window));
    if (batch.size() >= batchSize) {
      flushBatch(new Emitter() {
        @Override
        public <T> void emit(TupleTag<T> tag, T value, Pending<?> from) {
          out.get(tag).output(value);
        }
      });
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    flushBatch(new Emitter() {
      @Override
      public <T> void emit(TupleTag<T> tag, T value, Pending<?> from) {
        context.output(tag, value, from.timestamp(), from.window());
      }
    });
  }

  private void flushBatch(Emitter out) {
    if (batch.isEmpty()) {
      return;
    }
    List<Pending<I>> ready = new ArrayList<>(batch);
    batch.clear();
    flush(ready, out);
  }
}
