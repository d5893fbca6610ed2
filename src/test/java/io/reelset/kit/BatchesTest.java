package io.reelset.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.junit.jupiter.api.Test;

/** Batches: a BatchingDoFn after it sees whole batches, where bundles of one item gave it batches of one. */
class BatchesTest {
  private static final Map<String, Queue<List<Integer>>> FLUSHED = new ConcurrentHashMap<>();
  private static final int ITEMS = 64;

  /** Records the batches it is handed. */
  static final class Record extends BatchingDoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final String run;

    Record(String run, int batchSize) {
      super(batchSize);
      this.run = run;
    }

    @Override
    protected void flush(List<Pending<Integer>> batch, Emitter out) {
      FLUSHED.get(run).add(batch.stream().map(Pending::element).toList());
    }
  }

  /** The batches a BatchingDoFn of {@code size} saw after {@code spread}, over items in bundles of one. */
  private static List<List<Integer>> batches(int size, boolean spread) {
    String run = UUID.randomUUID().toString();
    FLUSHED.put(run, new ConcurrentLinkedQueue<>());
    DirectOptions options = PipelineOptionsFactory.fromArgs("--targetParallelism=2").as(DirectOptions.class);
    Pipeline pipeline = Pipeline.create(options);
    var items = pipeline
        .apply(Create.of(IntStream.range(0, ITEMS).boxed().toList()).withCoder(VarIntCoder.of()))
        // what reaches a model stage on the DirectRunner: one item per bundle
        .apply("OnePerBundle", Reshuffle.viaRandomKey());
    (spread ? items.apply("Spread", Batches.spread(size)) : items).apply(ParDo.of(new Record(run, size)));
    pipeline.run().waitUntilFinish();
    return new ArrayList<>(FLUSHED.remove(run));
  }

  private static void assertEveryItemOnce(List<List<Integer>> batches) {
    List<Integer> seen = new ArrayList<>(batches.stream().flatMap(List::stream).toList());
    seen.sort(null);
    assertEquals(IntStream.range(0, ITEMS).boxed().toList(), seen);
  }

  @Test
  void withoutItABatchOfFourHoldsOneItem() {
    List<List<Integer>> batches = batches(4, false);
    assertEveryItemOnce(batches);
    assertEquals(ITEMS, batches.size(), "the DirectRunner's bundles hold one item each after a Reshuffle");
  }

  @Test
  void batchesFillAfterIt() {
    List<List<Integer>> batches = batches(4, true);
    assertEveryItemOnce(batches);
    assertTrue(batches.stream().allMatch(b -> b.size() <= 4), batches.toString());
    // only the last group of each shard (a shard per producing worker) may be short
    long inFull = batches.stream().filter(b -> b.size() == 4).mapToLong(List::size).sum();
    assertTrue(inFull >= ITEMS / 2, "items in full batches: " + inFull + " of " + ITEMS + ": " + batches);
  }

  @Test
  void aBatchOfOneIsAReshuffle() {
    List<List<Integer>> batches = batches(1, true);
    assertEveryItemOnce(batches);
    assertEquals(ITEMS, batches.size());
  }
}
