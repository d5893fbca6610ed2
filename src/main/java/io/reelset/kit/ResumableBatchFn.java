package io.reelset.kit;

import io.reelset.values.Failure;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * The one way a stage processes items through a model, resumably: each item's complete output
 * is read back from its record when an earlier run made one; the rest are prepared one by one,
 * run through the model in micro-batches ({@link BatchingDoFn}: no keys, flushed at bundle end),
 * finished and recorded ({@link ItemRecords}). A batch the model fails on is run again item by
 * item, so one bad item fails alone as a {@link Failure}; transient errors are tried again
 * ({@link Retry}) per batch and then per item.
 *
 * @param <I> the items
 * @param <O> the main output
 * @param <P> an item prepared for the model (a decoded image)
 * @param <R> the model's result for one item
 * @param <T> what is recorded per item (and emitted from, read back or fresh)
 */
public abstract class ResumableBatchFn<I, O, P, R, T> extends BatchingDoFn<I, O> {
  private static final long serialVersionUID = 1L;

  protected final String stageId;
  private final ItemRecords<T> records;
  private final TupleTag<Failure> failures;
  private final Counter retried;
  private final Counter done;
  private final Counter batches;
  private Retry retry;

  protected ResumableBatchFn(String stageId, int batchSize, Checkpoints checkpoints, Coder<T> recordCoder,
      TupleTag<Failure> failures) {
    super(batchSize);
    this.stageId = stageId;
    this.records = ItemRecords.of(stageId, checkpoints, recordCoder);
    this.failures = failures;
    this.retried = Metrics.counter(StageMetrics.namespace(stageId), "batches_retried_one_by_one");
    this.done = Metrics.counter(StageMetrics.namespace(stageId), StageMetrics.PROGRESS_DONE);
    this.batches = Metrics.counter(StageMetrics.namespace(stageId), StageMetrics.MODEL_BATCHES);
    this.retry = Retry.none(StageMetrics.namespace(stageId));
  }

  /** Tries the model again on transient errors, per batch and then per item. */
  public ResumableBatchFn<I, O, P, R, T> retrying(Retry policy) {
    this.retry = policy;
    return this;
  }

  /** The item's key: the name of its record and of its failure. */
  protected abstract String key(I item);

  /** What the model needs of the item; an error fails the item with {@link #prepareFailure}. */
  protected abstract P prepare(I item) throws Exception;

  /** The model on a batch: one result per prepared item, in order. */
  protected abstract List<R> infer(List<P> batch) throws Exception;

  /**
   * What the item's result makes: the values recorded and then emitted by {@link #emit}; null when
   * nothing is to be recorded (the item failed and said so to {@code out}). An error fails the item
   * with {@link #processFailure}.
   */
  protected abstract List<T> finish(Pending<I> item, P prepared, R result, Emitter out) throws Exception;

  /** Emits the item's outputs from its recorded values, fresh or read back. */
  protected abstract void emit(Pending<I> item, List<T> values, Emitter out);

  /** Why an item that cannot be prepared failed. */
  protected abstract String prepareFailure();

  /** Why an item the model or {@link #finish} failed on failed. */
  protected abstract String processFailure();

  /** Whether a record read back is whole (a record of another layout counts as none). */
  protected boolean complete(List<T> recorded) {
    return true;
  }

  /** Emits a failure of {@code item}. */
  protected final void fail(Pending<I> item, String message, Exception cause, Emitter out) {
    done.inc();
    Failure failure = cause == null ? new Failure(stageId, key(item.element()), message, "")
        : Failure.of(stageId, key(item.element()), message, cause);
    out.emit(failures, failure, item);
  }

  @Override
  protected final void flush(List<Pending<I>> batch, Emitter out) {
    List<Pending<I>> ready = new ArrayList<>();
    List<P> prepared = new ArrayList<>();
    for (Pending<I> pending : batch) {
      List<T> recorded = records.read(key(pending.element()), this::complete);
      if (recorded != null) {
        done.inc();
        emit(pending, recorded, out);
        continue;
      }
      try {
        prepared.add(prepare(pending.element()));
        ready.add(pending);
      } catch (Exception e) {
        fail(pending, prepareFailure(), e, out);
      }
    }
    if (ready.isEmpty()) {
      return;
    }
    List<R> results = null;
    if (ready.size() > 1) {
      batches.inc();
      try {
        results = retry.call(() -> infer(prepared));
      } catch (Exception e) {
        retried.inc();
      }
    }
    for (int i = 0; i < ready.size(); i++) {
      Pending<I> pending = ready.get(i);
      P item = prepared.get(i);
      List<T> values;
      try {
        if (results == null) {
          batches.inc();
        }
        R result = results != null ? results.get(i) : retry.call(() -> infer(List.of(item))).get(0);
        values = finish(pending, item, result, out);
      } catch (Exception e) {
        fail(pending, processFailure(), e, out);
        continue;
      }
      if (values != null) {
        done.inc();
        records.write(key(pending.element()), values);
        emit(pending, values, out);
      }
    }
  }
}
