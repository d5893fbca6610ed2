package io.reelset.kit;

import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupIntoBatches;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.Values;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.PCollection;

/**
 * Spreads a model stage's items over the workers so that a {@link BatchingDoFn} after it sees
 * whole batches: up to {@code size} items in one bundle.
 *
 * <p>A bundle is where a DoFn's batch ends, and the DirectRunner makes small ones: after a
 * {@link Reshuffle} every bundle holds one item, so a batch size over 1 alone changed nothing.
 * With {@code size} over 1 the items are grouped with {@link GroupIntoBatches} (a shard per
 * producing worker, {@code withShardedKey}) and each group is handed on as one bundle; the last,
 * partial group of a shard goes when its input ends. With {@code size} 1 it is a
 * {@link Reshuffle} to random keys, as before.
 *
 * {@code
 * PCollection<Frame> spread = frames.apply("Spread", Batches.spread(4));
 * }
 */
public final class Batches<T> extends PTransform<PCollection<T>, PCollection<T>> {
  private static final long serialVersionUID = 1L;

  private final int size;

  private Batches(int size) {
    this.size = size;
  }

  /** Groups of up to {@code size} items per bundle, spread over the workers. */
  public static <T> Batches<T> spread(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a batch holds at least 1 item, got " + size);
    }
    return new Batches<>(size);
  }

  @Override
  public PCollection<T> expand(PCollection<T> items) {
    if (size == 1) {
      return items.apply("Reshuffle", Reshuffle.viaRandomKey());
    }
    Coder<T> coder = items.getCoder();
    return items
        .apply("Key", WithKeys.of(0)).setCoder(KvCoder.of(VarIntCoder.of(), coder))
        .apply("Group", GroupIntoBatches.<Integer, T>ofSize(size).withShardedKey())
        .apply("Values", Values.create())
        .apply("Ungroup", Flatten.iterables())
        .setCoder(coder);
  }
}
