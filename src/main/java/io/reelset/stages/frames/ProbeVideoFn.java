package io.reelset.stages.frames;

import io.reelset.kit.StageMetrics;
import io.reelset.media.FFmpegLibraries;
import io.reelset.media.FFmpegVideo;
import io.reelset.media.VideoException;
import io.reelset.values.Failure;
import io.reelset.values.ProbedVideo;
import io.reelset.values.VideoFile;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Probes each video with FFmpeg: duration, frame rate, frame count, codec, size, and the
 * keyframes (read from the packets, without decoding). A video that cannot be probed is a
 * {@link Failure}; a truncated one is a failure too but still goes on, up to where its data ends.
 */
final class ProbeVideoFn extends DoFn<VideoFile, ProbedVideo> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<ProbedVideo> PROBED = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String stageId;
  private final Counter probed;
  private final Counter variableRate;
  private final Counter timeline;

  ProbeVideoFn(String stageId) {
    this.stageId = stageId;
    this.probed = Metrics.counter(StageMetrics.namespace(stageId), "videos_probed");
    this.variableRate = Metrics.counter(StageMetrics.namespace(stageId), "videos_variable_frame_rate");
    this.timeline = Metrics.counter(StageMetrics.namespace(stageId), StageMetrics.PROGRESS_TOTAL);
  }

  @Setup
  public void setup() {
    FFmpegLibraries.load();
  }

  @ProcessElement
  public void process(@Element VideoFile file, MultiOutputReceiver out) {
    if (file.sizeBytes() == 0) {
      out.get(FAILURES).output(new Failure(stageId, file.key(), "the file is empty (0 bytes)", file.path()));
      return;
    }
    try (FFmpegVideo video = FFmpegVideo.open(LocalFiles.localPath(file.path(), file.sizeBytes()), 1)) {
      FFmpegVideo.Probe probe = video.probe(true);
      if (probe.problem() != null) {
        out.get(FAILURES).output(new Failure(stageId, file.key(), probe.problem(), file.path()));
      }
      if (probe.variableRate()) {
        variableRate.inc();
      }
      probed.inc();
      // the timeline the decoder walks: the progress line's whole, in milliseconds
      timeline.inc(probe.info().durationMs() + ExtractFramesFn.END_MARGIN_MS);
      out.get(PROBED).output(new ProbedVideo(file, probe.info()));
    } catch (VideoException e) {
      out.get(FAILURES).output(new Failure(stageId, file.key(), e.getMessage(), file.path()));
    } catch (java.io.IOException | RuntimeException e) {
      out.get(FAILURES).output(Failure.of(stageId, file.key(), "cannot probe the video: " + e.getMessage(), e));
    }
  }
}
