package io.reelset.kit;

import java.io.Serializable;
import java.util.List;
import java.util.function.Predicate;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * Resume for one step of a stage, per item: read an item's complete output back from its
 * completion record ({@link Checkpoints}), or record it once computed — each counted in the
 * stage's metrics ({@link StageMetrics#RESUMED}, {@link StageMetrics#RECORDED}), so the status says
 * how much a resumed run did not redo. Without records (a run that keeps none) it reads nothing
 * and writes nothing.
 *
 * {@code
 * ItemRecords<CharacterCrop> records = ItemRecords.of(stageId, context.checkpoints(), CharacterCropCoder.of());
 * List<CharacterCrop> done = records.read(frame.key());
 * if (done == null) {
 *   done = segment(frame);
 *   records.write(frame.key(), done);
 * }
 * }
 */
public final class ItemRecords<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Checkpoints checkpoints;
  private final Coder<T> coder;
  private final Counter resumed;
  private final Counter recorded;

  private ItemRecords(String stageId, Checkpoints checkpoints, Coder<T> coder) {
    this.checkpoints = checkpoints;
    this.coder = coder;
    String namespace = StageMetrics.namespace(stageId);
    this.resumed = Metrics.counter(namespace, StageMetrics.RESUMED);
    this.recorded = Metrics.counter(namespace, StageMetrics.RECORDED);
  }

  /** The records of the stage {@code stageId} in {@code checkpoints} (null: none are kept). */
  public static <T> ItemRecords<T> of(String stageId, Checkpoints checkpoints, Coder<T> coder) {
    return new ItemRecords<>(stageId, checkpoints, coder);
  }

  /** Whether records are kept at all. */
  public boolean kept() {
    return checkpoints != null;
  }

  /** The item's recorded output, or null when it has none (or records are not kept). */
  public List<T> read(String key) {
    return read(key, values -> true);
  }

  /** As {@link #read}, where a record {@code complete} does not accept counts as none. */
  public List<T> read(String key, Predicate<List<T>> complete) {
    if (checkpoints == null) {
      return null;
    }
    List<T> done = checkpoints.read(key, coder);
    if (done == null || !complete.test(done)) {
      return null;
    }
    resumed.inc();
    return done;
  }

  /** Records the item's complete output; call it after the output is written wherever it goes. */
  public void write(String key, List<T> values) {
    if (checkpoints != null && checkpoints.write(key, values, coder)) {
      recorded.inc();
    }
  }
}
