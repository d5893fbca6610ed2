package io.reelset.stages.frames;

import io.reelset.compile.Retry;
import io.reelset.compile.StageMetrics;
import io.reelset.media.FrameConverter;
import io.reelset.media.FrameHashes;
import io.reelset.media.SampledFrames;
import io.reelset.media.Sampling;
import io.reelset.media.Segments;
import io.reelset.media.VideoException;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.values.ProbedVideo;
import java.io.IOException;
import java.util.Locale;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Decodes the frames of a video as a splittable DoFn.
 *
 * <p>The restriction is an {@link OffsetRange} of milliseconds of the video's timeline, first
 * split into segments of {@code segmentMs} that start at keyframes, so one long film spreads over
 * every worker. Each sampled frame is claimed by its timestamp before it is emitted, so a runner
 * may split the rest off at any frame; {@link #getSize} is the milliseconds left. Decoding a
 * restriction seeks to it and decodes forward; sampling depends on nothing before the
 * restriction, so split and unsplit decoding give the same frames. Damaged packets are skipped,
 * counted and reported once per restriction as a {@link Failure}.
 */
@DoFn.BoundedPerElement
final class ExtractFramesFn extends DoFn<ProbedVideo, Frame> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<Frame> FRAMES = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
  /** Frames may carry timestamps a little past the duration in the header. */
  static final long END_MARGIN_MS = 2000;

  private final String stageId;
  private final Sampling sampling;
  private final long segmentMs;
  private final int threads;
  private final FrameConverter.Format format;
  private final int jpegQuality;
  private final Counter decoded;
  private final Counter candidates;
  private final Counter damaged;
  private final Counter opened;
  private final Counter resumed;
  private final Retry retry;
  /** Names this transform's sessions in the shared cache: another transform decodes differently. */
  private final String sessionScope = java.util.UUID.randomUUID().toString();

  ExtractFramesFn(String stageId, Sampling sampling, long segmentMs, int threads,
      FrameConverter.Format format, int jpegQuality, Retry retry) {
    this.retry = retry;
    this.stageId = stageId;
    this.sampling = sampling;
    this.segmentMs = segmentMs;
    this.threads = threads;
    this.format = format;
    this.jpegQuality = jpegQuality;
    String namespace = StageMetrics.namespace(stageId);
    this.decoded = Metrics.counter(namespace, "frames_decoded");
    this.candidates = Metrics.counter(namespace, "frames_sampled");
    this.damaged = Metrics.counter(namespace, "damaged_skipped");
    this.opened = Metrics.counter(namespace, "decoders_opened");
    this.resumed = Metrics.counter(namespace, "decoders_resumed");
  }

  @GetInitialRestriction
  public OffsetRange initialRestriction(@Element ProbedVideo video) {
    return new OffsetRange(0, video.info().durationMs() + END_MARGIN_MS);
  }

  @SplitRestriction
  public void split(@Element ProbedVideo video, @Restriction OffsetRange range, OutputReceiver<OffsetRange> out) {
    long[] cuts = Segments.boundaries(range.getFrom(), range.getTo(), segmentMs, video.info().keyframesMs());
    for (int i = 0; i + 1 < cuts.length; i++) {
      out.output(new OffsetRange(cuts[i], cuts[i + 1]));
    }
  }

  @GetSize
  public double getSize(@Restriction OffsetRange range) {
    return Math.max(0, range.getTo() - range.getFrom());
  }

  @ProcessElement
  public ProcessContinuation process(@Element ProbedVideo video, RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out) {
    OffsetRange range = tracker.currentRestriction();
    String where = String.format(Locale.ROOT, "%s@%.3f-%.3fs", video.key(), range.getFrom() / 1000.0,
        range.getTo() / 1000.0);
    String sessionKey = sessionScope + "/" + video.key();
    SampledFrames frames = DecoderSessions.take(sessionKey, range.getFrom());
    long lastClaimed = range.getFrom() - 1;
    long decodedBefore = 0;
    long damagedBefore = 0;
    try {
      if (frames == null) {
        opened.inc();
        frames = retry.call(() -> SampledFrames.open(LocalFiles.localPath(video.file().path(),
            video.file().sizeBytes()), threads, sampling, video.info().frameRate(), range.getFrom(), format, jpegQuality));
      } else {
        resumed.inc();
        decodedBefore = frames.decodedFrames();
        damagedBefore = frames.damaged();
      }
      while (true) {
        SampledFrames.Candidate candidate = frames.peek(tracker.currentRestriction().getTo());
        if (candidate == null) {
          break;
        }
        long ms = candidate.ms();
        if (ms > lastClaimed) {
          if (!tracker.tryClaim(ms)) {
            count(frames, decodedBefore, damagedBefore, where, out);
            DecoderSessions.park(sessionKey, lastClaimed + 1, frames);
            frames = null;
            return ProcessContinuation.stop();
          }
          lastClaimed = ms;
        }
        out.get(FRAMES).output(new Frame(video.key(), candidate.index(), ms, candidate.frame().width(),
            candidate.frame().height(), format.name().toLowerCase(Locale.ROOT), frames.encode(candidate),
            FrameHashes.dHash(candidate.thumbnail(), SampledFrames.THUMB, SampledFrames.THUMB)));
        candidates.inc();
        frames.advance();
      }
      count(frames, decodedBefore, damagedBefore, where, out);
      // no candidate is left before the end: claiming the end tells the tracker the range is done
      long end = tracker.currentRestriction().getTo();
      tracker.tryClaim(end);
      // the next segment often follows on this worker: keep the decoder where it stands
      DecoderSessions.park(sessionKey, end, frames);
      frames = null;
      return ProcessContinuation.stop();
    } catch (VideoException e) {
      out.get(FAILURES).output(new Failure(stageId, where, e.getMessage(), video.file().path()));
      return ProcessContinuation.stop();
    } catch (Exception e) {
      out.get(FAILURES).output(Failure.of(stageId, where, "cannot decode: " + e.getMessage(), e));
      return ProcessContinuation.stop();
    } finally {
      if (frames != null) {
        frames.close();
      }
    }
  }

  private void count(SampledFrames frames, long decodedBefore, long damagedBefore, String where,
      MultiOutputReceiver out) {
    decoded.inc(frames.decodedFrames() - decodedBefore);
    long newlyDamaged = frames.damaged() - damagedBefore;
    if (newlyDamaged > 0) {
      damaged.inc(newlyDamaged);
      out.get(FAILURES).output(new Failure(stageId, where, newlyDamaged
          + " damaged packets or frames skipped; the frames around them were still extracted", ""));
    }
  }
}
