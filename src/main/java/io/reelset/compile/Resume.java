package io.reelset.compile;

import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Splits a stage's input into the items an earlier run completed, whose recorded outputs are read
 * back ({@link StageMetrics#RESUMED}), and the items still to do.
 *
 * {@code
 * Resume.Split<ProbedVideo, Frame> split = Resume.split(videos, "Resume", context, ProbedVideo::key,
 *     FrameCoder.of());
 * PCollection<Frame> fresh = split.todo().apply(...);   // record each item with context.checkpoints()
 * }
 */
public final class Resume {
  private Resume() {}

  /** The two parts: outputs read back, and inputs to compute. */
  public record Split<I, O>(PCollection<O> done, PCollection<I> todo) {}

  public static <I, O> Split<I, O> split(PCollection<I> input, String name, StageContext context,
      SerializableFunction<I, String> key, Coder<O> outputCoder) {
    return split(input, name, context.checkpoints(), context.metricsNamespace(), key, outputCoder);
  }

  /** As above, with the stage's records and metrics namespace given apart. */
  public static <I, O> Split<I, O> split(PCollection<I> input, String name, Checkpoints checkpoints,
      String namespace, SerializableFunction<I, String> key, Coder<O> outputCoder) {
    TupleTag<O> done = new TupleTag<>() {};
    TupleTag<I> todo = new TupleTag<>() {};
    PCollectionTuple parts = input.apply(name, ParDo.of(new SplitFn<>(checkpoints, key, outputCoder, namespace, done, todo))
        .withOutputTags(done, TupleTagList.of(todo)));
    return new Split<>(parts.get(done).setCoder(outputCoder), parts.get(todo).setCoder(input.getCoder()));
  }

  /** Reads back each item's record, or passes the item on. */
  static final class SplitFn<I, O> extends DoFn<I, O> {
    private static final long serialVersionUID = 1L;
    private final Checkpoints checkpoints;
    private final SerializableFunction<I, String> key;
    private final Coder<O> coder;
    private final TupleTag<O> done;
    private final TupleTag<I> todo;
    private final Counter resumed;

    SplitFn(Checkpoints checkpoints, SerializableFunction<I, String> key, Coder<O> coder, String namespace,
        TupleTag<O> done, TupleTag<I> todo) {
      this.checkpoints = checkpoints;
      this.key = key;
      this.coder = coder;
      this.done = done;
      this.todo = todo;
      this.resumed = Metrics.counter(namespace, StageMetrics.RESUMED);
    }

    @ProcessElement
    public void process(@Element I item, MultiOutputReceiver out) {
      List<O> recorded = checkpoints == null ? null : checkpoints.read(key.apply(item), coder);
      if (recorded == null) {
        out.get(todo).output(item);
        return;
      }
      resumed.inc();
      recorded.forEach(out.get(done)::output);
    }
  }
}
