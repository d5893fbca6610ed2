package io.reelset.stages.frames;

import io.reelset.compile.Checkpoints;
import io.reelset.compile.StageMetrics;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.join.CoGbkResult;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Records each video whose frames are all extracted, selected and saved: one completion record
 * with its frames in time order (possibly none). A video with a failure in decoding is not
 * recorded, so that a resumed run tries it again. Every frame is passed on.
 */
final class RecordVideosFn extends DoFn<KV<String, CoGbkResult>, Frame> {
  private static final long serialVersionUID = 1L;
  private final Checkpoints checkpoints;
  private final TupleTag<String> videoTag;
  private final TupleTag<Frame> frameTag;
  private final TupleTag<Failure> failureTag;
  private final Counter recorded;

  RecordVideosFn(Checkpoints checkpoints, String stageId, TupleTag<String> videoTag, TupleTag<Frame> frameTag,
      TupleTag<Failure> failureTag) {
    this.checkpoints = checkpoints;
    this.videoTag = videoTag;
    this.frameTag = frameTag;
    this.failureTag = failureTag;
    this.recorded = Metrics.counter(StageMetrics.namespace(stageId), StageMetrics.RECORDED);
  }

  /** The video key of a decoding failure's item ({@code <video key>@<from>-<to>s}). */
  static String videoOf(String itemKey) {
    int at = itemKey.lastIndexOf('@');
    return at < 0 ? itemKey : itemKey.substring(0, at);
  }

  @ProcessElement
  public void process(@Element KV<String, CoGbkResult> video, OutputReceiver<Frame> out) {
    List<Frame> frames = new ArrayList<>();
    video.getValue().getAll(frameTag).forEach(frames::add);
    boolean complete = video.getValue().getAll(videoTag).iterator().hasNext()
        && !video.getValue().getAll(failureTag).iterator().hasNext();
    if (complete) {
      frames.sort(Comparator.comparingLong(Frame::ptsMs));
      if (checkpoints.write(video.getKey(), frames, FrameCoder.of())) {
        recorded.inc();
      }
    }
    frames.forEach(out::output);
  }
}
