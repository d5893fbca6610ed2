package io.reelset.stages.frames;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.Retry;
import io.reelset.kit.StageMetrics;
import io.reelset.media.FrameConverter;
import io.reelset.media.FrameHashes;
import io.reelset.media.SampledFrames;
import io.reelset.media.Sampling;
import io.reelset.media.Segments;
import io.reelset.media.VideoException;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import io.reelset.values.ProbedVideo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.TreeMap;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.values.TupleTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the frames of a video as a splittable DoFn.
 *
 * <p>The restriction is an {@link OffsetRange} of milliseconds of the video's timeline, first
 * split into segments of {@code segmentMs} that start at keyframes, so one long film spreads over
 * every worker. A frame belongs to its group of pictures ({@link Gops}: from a keyframe to the
 * next), and each group is claimed by its keyframe's timestamp before its frames are emitted, so a
 * runner may split the rest off at any group, where decoding can start cleanly: however often the
 * runner checkpoints, each frame is decoded once (a decoder parked where its call stopped is
 * continued by the call that takes the rest; a new one seeks to the keyframe and wastes nothing).
 * {@link #getSize} is the milliseconds left. Decoding a
 * restriction seeks to it and decodes forward; sampling depends on nothing before the
 * restriction, so split and unsplit decoding give the same frames. Damaged packets are skipped,
 * counted and reported once per restriction as a {@link Failure}.
 *
 * <p>With completion records, every piece of the timeline decoded to its end (a whole segment, or
 * the part before the runner split the rest off) is recorded with its frames, unless it had
 * damage. Pieces chain from the segment starts, so a later run walks each segment piece by piece,
 * reading back the recorded ones (one claim each: all their frames or none) and decoding only the
 * gaps between them.
 */
@DoFn.BoundedPerElement
final class ExtractFramesFn extends DoFn<ProbedVideo, Frame> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ExtractFramesFn.class);
  static final TupleTag<Frame> FRAMES = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
  /** Frames may carry timestamps a little past the duration in the header. */
  static final long END_MARGIN_MS = 2000;
  /**
   * A decoded piece is recorded in parts of about this many frames, each ending with a group of
   * pictures (a part holds whole groups).
   */
  static final int PIECE_FRAMES = 50;
  /** Decoding looks no further: past any timestamp, and far from overflowing in microseconds. */
  static final long NO_LIMIT = Long.MAX_VALUE / 4000;

  private final String stageId;
  private final Sampling sampling;
  private final long segmentMs;
  private final int threads;
  private final FrameConverter.Format format;
  private final int jpegQuality;
  private final Counter decoded;
  private final Counter toneMapped;
  private final Counter notToneMapped;
  /** Frames read from the file, decoded or left out undecoded (not needed by the sampling). */
  private final Counter read;
  private final Counter candidates;
  private final Counter damaged;
  private final Counter opened;
  private final Counter resumed;
  /** Milliseconds of the timeline whose restrictions ended: the progress line's done. */
  private final Counter timeline;
  private final Retry retry;
  private final Checkpoints checkpoints;
  private final Counter piecesResumed;
  private final Counter piecesRecorded;
  private final Counter unreported;
  /** Names this transform's sessions in the shared cache: another transform decodes differently. */
  private final String sessionScope = java.util.UUID.randomUUID().toString();
  /**
   * The pieces earlier runs recorded, per video, listed once per instance: what this run records
   * lies in restrictions this run has already walked, so it is never looked up again.
   */
  private transient Map<String, TreeMap<Long, Long>> earlierPieces;

  ExtractFramesFn(String stageId, Sampling sampling, long segmentMs, int threads,
      FrameConverter.Format format, int jpegQuality, Retry retry, Checkpoints checkpoints) {
    this.retry = retry;
    this.checkpoints = checkpoints;
    this.stageId = stageId;
    this.sampling = sampling;
    this.segmentMs = segmentMs;
    this.threads = threads;
    this.format = format;
    this.jpegQuality = jpegQuality;
    String namespace = StageMetrics.namespace(stageId);
    this.decoded = Metrics.counter(namespace, "frames_decoded");
    this.toneMapped = Metrics.counter(namespace, "frames_tone_mapped");
    this.notToneMapped = Metrics.counter(namespace, "frames_hdr_not_tone_mapped");
    this.read = Metrics.counter(namespace, "frames_read");
    this.candidates = Metrics.counter(namespace, "frames_sampled");
    this.damaged = Metrics.counter(namespace, "damaged_skipped");
    this.opened = Metrics.counter(namespace, "decoders_opened");
    this.resumed = Metrics.counter(namespace, "decoders_resumed");
    this.piecesResumed = Metrics.counter(namespace, StageMetrics.RESUMED);
    this.piecesRecorded = Metrics.counter(namespace, StageMetrics.RECORDED);
    this.unreported = Metrics.counter(namespace, "failures_split_off");
    this.timeline = Metrics.counter(namespace, StageMetrics.PROGRESS_DONE);
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
    try {
      return processRestriction(video, tracker, out);
    } finally {
      // what is left of the restriction once the runner split the rest off: the primaries cover
      // the timeline once, so their lengths add up to the probed whole
      OffsetRange primary = tracker.currentRestriction();
      timeline.inc(Math.max(0, primary.getTo() - primary.getFrom()));
    }
  }

  private ProcessContinuation processRestriction(ProbedVideo video, RestrictionTracker<OffsetRange, Long> tracker,
      MultiOutputReceiver out) {
    OffsetRange range = tracker.currentRestriction();
    String where = String.format(Locale.ROOT, "%s@%.3f-%.3fs", video.key(), range.getFrom() / 1000.0,
        range.getTo() / 1000.0);
    Claims claims = new Claims(tracker);
    Checkpoints pieces = checkpoints == null ? null : checkpoints.forItem(video.key());
    try {
      TreeMap<Long, Long> recorded = pieces == null ? new TreeMap<>() : earlierPieces(video.key(), pieces);
      long position = range.getFrom();
      while (position < claims.end()) {
        Long pieceEnd = recorded.get(position);
        List<Frame> done = pieceEnd == null || pieceEnd > claims.end() ? null
            : pieces.read(pieceKey(position, pieceEnd), FrameCoder.of());
        if (done != null) {
          // one claim covers the piece: its frames are read back all together or not at all
          if (!claims.claim(pieceEnd - 1)) {
            return ProcessContinuation.stop();
          }
          piecesResumed.inc();
          done.forEach(out.get(FRAMES)::output);
          position = pieceEnd;
          continue;
        }
        Long next = recorded.higherKey(position);
        position = decode(video, claims, position, next == null ? Long.MAX_VALUE : next, pieces, where, out);
        if (position < 0) {
          return ProcessContinuation.stop();
        }
      }
    } catch (VideoException e) {
      fail(claims, new Failure(stageId, where, e.getMessage(), video.file().path()), out);
    } catch (Exception e) {
      fail(claims, Failure.of(stageId, where, "cannot decode: " + e.getMessage(), e), out);
    }
    claims.finish();
    return ProcessContinuation.stop();
  }

  /**
   * Reports what stopped a restriction. Output needs a claim: without one (the runner took the
   * rest of the restriction while it failed) the failure is counted and logged, and the residual,
   * decoded again, meets the same fault and reports it.
   */
  private void fail(Claims claims, Failure failure, MultiOutputReceiver out) {
    if (claims.mayOutput()) {
      out.get(FAILURES).output(failure);
    } else {
      unreported.inc();
      LOG.warn("{}: {} (the rest of the restriction was split off; it reports its own faults)",
          failure.itemKey(), failure.error());
    }
  }

  /**
   * Decodes from {@code from} up to {@code until} (a recorded piece) or the restriction's end,
   * emitting each frame once claimed, and records the piece done. Returns where it stopped, or -1
   * when the runner took the rest of the restriction (a claim failed).
   */
  private long decode(ProbedVideo video, Claims claims, long from, long until, Checkpoints pieces, String where,
      MultiOutputReceiver out) throws Exception {
    String sessionKey = sessionScope + "/" + video.key();
    Gops gops = new Gops(video.info().keyframesMs());
    long stop = Math.min(until, claims.end());
    long start = gops.nextStart(from);
    DecoderSessions.Parked parked = DecoderSessions.take(sessionKey, from);
    if (start >= stop) {
      // no group of pictures starts in this stretch: its frames belong to the one before. The
      // decoder that stopped here may have met damage after its last claim: reported here.
      if (!claims.claim(stop - 1)) {
        if (parked != null) {
          DecoderSessions.park(sessionKey, from, parked.frames(), parked.damageReported());
        }
        return -1;
      }
      boolean clean = true;
      if (parked != null) {
        clean = parked.frames().damaged() == parked.damageReported();
        long reported = reportDamage(parked.frames(), parked.damageReported(), where, out);
        DecoderSessions.park(sessionKey, stop, parked.frames(), reported);
      }
      record(pieces, from, stop, List.of(), clean);
      return stop;
    }
    SampledFrames frames = null;
    long lastClaimed = from - 1;
    long decodedCounted = 0;
    long readCounted = 0;
    long damageReported = 0;
    List<Frame> emitted = new ArrayList<>();
    try {
      if (parked == null) {
        opened.inc();
        frames = retry.call(() -> SampledFrames.open(LocalFiles.localPath(video.file().path(),
            video.file().sizeBytes()), threads, sampling, video.info().frameRate(), video.info().keyframesMs(), start,
            format, jpegQuality));
      } else {
        resumed.inc();
        frames = parked.frames();
        decodedCounted = frames.decodedFrames(); // counted by the call that parked it
        readCounted = frames.readFrames();
        damageReported = parked.damageReported();
      }
      long pieceFrom = from;
      long pieceDamage = frames.damaged();
      while (true) {
        // the frames of the groups that start before the stop, which may run past it
        stop = Math.min(until, claims.end());
        long stretchEnd = gops.nextStart(stop);
        long nextGroup = gops.known() ? gops.nextStart(lastClaimed + 1) : Long.MAX_VALUE;
        SampledFrames.Candidate candidate = frames.peek(Math.min(NO_LIMIT, Math.min(stretchEnd, nextGroup)));
        long group;
        if (candidate == null) {
          if (nextGroup >= stretchEnd) {
            break;
          }
          // the decoder reached a group without a candidate before it: claimed now, so that where
          // the runner splits, nothing decoded so far is decoded again (sparse sampling: scene)
          group = nextGroup;
        } else {
          group = gops.owner(candidate.historyMs());
          if (group < from) {
            frames.advance(); // a frame of a group an earlier stretch owns
            continue;
          }
        }
        if (group > lastClaimed) {
          if (emitted.size() >= PIECE_FRAMES) {
            // a long piece is recorded in parts: memory stays bounded, and a kill loses less
            record(pieces, pieceFrom, lastClaimed + 1, emitted, frames.damaged() == pieceDamage);
            pieceFrom = lastClaimed + 1;
            pieceDamage = frames.damaged();
            emitted = new ArrayList<>();
          }
          if (!claims.claim(group)) {
            // no output from here on: damage seen since the last claim goes with the parked decoder
            countWork(frames, decodedCounted, readCounted);
            record(pieces, pieceFrom, lastClaimed + 1, emitted, frames.damaged() == pieceDamage);
            DecoderSessions.park(sessionKey, lastClaimed + 1, frames, damageReported);
            frames = null;
            return -1;
          }
          lastClaimed = group;
        }
        if (candidate == null) {
          continue;
        }
        long ms = candidate.ms();
        int[] size = FrameConverter.displaySize(candidate.frame()); // the encoded image's: square pixels
        byte[] image = frames.encode(candidate);
        switch (frames.lastHdr()) { // only HDR input shows these counters
          case TONE_MAPPED -> toneMapped.inc();
          case NOT_TONE_MAPPED -> notToneMapped.inc();
          case NONE -> { }
        }
        Frame frame = new Frame(video.key(), candidate.index(), ms, size[0], size[1],
            format.name().toLowerCase(Locale.ROOT), image,
            FrameHashes.dHash(candidate.thumbnail(), SampledFrames.THUMB, SampledFrames.THUMB), candidate.sceneScore(),
            candidate.sharpness());
        out.get(FRAMES).output(frame);
        if (pieces != null) {
          emitted.add(frame);
        }
        candidates.inc();
        frames.advance();
      }
      countWork(frames, decodedCounted, readCounted);
      // no group starts between the last claim and the stop. The piece is held to the stop by
      // claiming its last position, so a split that comes after the stop was read cannot leave
      // the piece overlapping the residual; a split before that claim ended the restriction where
      // it stands now (after the last claim), and no split moves it any more.
      boolean held = stop - 1 <= lastClaimed || claims.claim(stop - 1);
      long end = held ? stop : claims.end();
      record(pieces, pieceFrom, end, emitted, frames.damaged() == pieceDamage);
      if (frames.damaged() > damageReported) {
        // reported once per call, under a claim: the last one, or one taken for it
        if (!claims.mayOutput()) {
          // the residual starts at the end of this piece and reports the damage
          held = false;
        } else {
          damageReported = reportDamage(frames, damageReported, where, out);
        }
      }
      // the next segment often follows on this worker: keep the decoder where it stands
      DecoderSessions.park(sessionKey, end, frames, damageReported);
      frames = null;
      return held ? end : -1;
    } finally {
      if (frames != null) {
        frames.close();
      }
    }
  }

  /** Counts the frames {@code frames} decoded and read beyond the counts given (those counted before). */
  private void countWork(SampledFrames frames, long decodedCounted, long readCounted) {
    decoded.inc(frames.decodedFrames() - decodedCounted);
    read.inc(frames.readFrames() - readCounted);
  }

  /** Records a decoded piece {@code [from, to)} of the timeline with its frames, unless it had damage. */
  private void record(Checkpoints pieces, long from, long to, List<Frame> frames, boolean clean) {
    if (pieces != null && clean && to > from && pieces.write(pieceKey(from, to), frames, FrameCoder.of())) {
      piecesRecorded.inc();
    }
  }

  static String pieceKey(long from, long to) {
    return String.format(Locale.ROOT, "%012d-%012d", from, to);
  }

  private TreeMap<Long, Long> earlierPieces(String videoKey, Checkpoints pieces) {
    if (earlierPieces == null) {
      earlierPieces = new HashMap<>();
    }
    return earlierPieces.computeIfAbsent(videoKey, key -> recordedPieces(pieces));
  }

  /** The recorded pieces of a video: start to end, in milliseconds. */
  private static TreeMap<Long, Long> recordedPieces(Checkpoints pieces) {
    TreeMap<Long, Long> starts = new TreeMap<>();
    for (String key : pieces.keys()) {
      int dash = key.indexOf('-');
      try {
        long from = Long.parseLong(key.substring(0, dash));
        long to = Long.parseLong(key.substring(dash + 1));
        starts.merge(from, to, Math::max);
      } catch (RuntimeException e) {
        // not a piece key: ignore
      }
    }
    return starts;
  }

  /** Reports the damage seen since {@code reported}; call only while holding a claim. */
  private long reportDamage(SampledFrames frames, long reported, String where, MultiOutputReceiver out) {
    long newlyDamaged = frames.damaged() - reported;
    if (newlyDamaged > 0) {
      damaged.inc(newlyDamaged);
      out.get(FAILURES).output(new Failure(stageId, where, newlyDamaged
          + " damaged packets or frames skipped; the frames around them were still extracted", ""));
    }
    return frames.damaged();
  }
}
