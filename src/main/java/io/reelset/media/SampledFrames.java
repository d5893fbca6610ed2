package io.reelset.media;

import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_move_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

import org.bytedeco.ffmpeg.avutil.AVFrame;

/**
 * The candidate frames of one stretch of a video, in order: decodes from the keyframe at or before
 * the stretch, applies {@link Sampling}, and hands out each candidate with its pictures.
 *
 * <p>A frame belongs to the stretch its <em>history</em> starts in: the frames its sampling
 * depends on. Without scene scores that is the frame itself; a scene score compares a frame with
 * the two before it, so there it is the frame two before. A stretch therefore hands out the frames
 * whose history starts in it — the first two frames after its start belong to the stretch before,
 * which decodes two frames past its end to score them — and every frame of a split video gets
 * the score it has when the whole video is decoded, each decoded once and two more per stretch.
 *
 * <p>It owns its decoder and its {@link FrameConverter}. {@link #peek(long)} returns the next candidate without consuming it, so a caller that may
 * not take it now (a splittable DoFn whose claim failed) can stop and later continue from the
 * same object, without seeking and decoding again. Not thread-safe; close it.
 */
public final class SampledFrames implements AutoCloseable {
  /** Thumbnail size for scene scores and perceptual hashes. */
  public static final int THUMB = 64;

  private final FFmpegVideo video;
  private final FrameConverter converter;
  private final Sampling sampling;
  private final double sourceFps;
  private final long fromUs;
  private final SceneDetector scenes = new SceneDetector();

  private final AVFrame pendingFrame = av_frame_alloc();
  /** The frame decoded just before the pending one, for {@link #encode}; its index, or -1 for none. */
  private final AVFrame beforeFrame = av_frame_alloc();
  private long beforeIndex = -1;
  private boolean hasPending;
  private long pendingUs;
  private long pendingHistoryUs;
  /** The timestamps of the last two frames taken, latest first; -1 where none was taken since the seek. */
  private final long[] taken = {-1, -1};
  /** Whether decoding began at the video's start, where the first frames are their own history. */
  private boolean fromStart = true;
  private boolean pendingKey;
  private byte[] pendingThumb;
  private double pendingScore;

  private boolean hasLookahead;
  private boolean ended;
  private Candidate peeked;
  private long decoded;
  private long damagedFrames;

  /**
   * A frame chosen by the sampling, with its decoded pictures valid until the next call.
   *
   * @param sceneScore its scene score when the sampling needs them, else 0
   * @param sharpness its {@link FrameHashes#sharpness} when the sampling needs it, else 0
   * @param historyUs where its history starts: the frame itself, or with scene scores the frame
   *     two before it; the stretch it belongs to is the one this falls in
   */
  public record Candidate(long us, long index, boolean key, AVFrame frame, byte[] thumbnail, double sceneScore,
      double sharpness, long historyUs) {
    public long historyMs() {
      return Math.floorDiv(historyUs, 1000);
    }

    public long ms() {
      return us / 1000;
    }
  }

  private SampledFrames(FFmpegVideo video, FrameConverter converter, Sampling sampling,
      double sourceFps, long fromUs) {
    this.video = video;
    this.converter = converter;
    this.sampling = sampling;
    this.sourceFps = sourceFps;
    this.fromUs = fromUs;
  }

  /**
   * Opens {@code path} and positions it for candidates at or after {@code fromMs}.
   *
   * @param threads decoder threads (1: decode on the calling thread only)
   */
  public static SampledFrames open(String path, int threads, Sampling sampling, double sourceFps,
      long fromMs, FrameConverter.Format format, int jpegQuality) throws VideoException {
    return open(path, threads, sampling, sourceFps, new long[0], fromMs, format, jpegQuality);
  }

  /**
   * The same, given the video's keyframes ({@link io.reelset.values.VideoInfo#keyframesMs()}): the
   * stretches between a frame and the next keyframe where the sampling wants nothing are read but
   * not decoded ({@link FFmpegVideo#skipGroupsWhere}), except in video coded as fields, whose
   * candidates are rebuilt with the frames next to them.
   */
  public static SampledFrames open(String path, int threads, Sampling sampling, double sourceFps,
      long[] keyframesMs, long fromMs, FrameConverter.Format format, int jpegQuality) throws VideoException {
    FrameConverter converter = new FrameConverter(format, jpegQuality);
    FFmpegVideo video;
    try {
      video = FFmpegVideo.open(path, threads);
    } catch (VideoException | RuntimeException e) {
      converter.close();
      throw e;
    }
    SampledFrames frames = new SampledFrames(video, converter, sampling, sourceFps, fromMs * 1000);
    if (!sampling.needsSceneScores()) { // else every frame is scored: none is left out
      // a candidate of interlaced or telecined video is rebuilt with the frames next to it
      video.leaveUndecoded(video.fieldCoded()
          ? (us, laterUs) -> sampling.surelyNotSelectedNorNext(us, laterUs, sourceFps)
          : (us, laterUs) -> sampling.surelyNotSelected(us, laterUs, sourceFps));
    }
    try {
      frames.position(fromMs);
    } catch (VideoException | RuntimeException e) {
      frames.close();
      throw e;
    }
    if (!video.fieldCoded()) { // after positioning, which checks its own entry point frame by frame
      video.skipGroupsWhere(keyframesMs,
          (us, keyUs, keyframesBetween) -> sampling.noneSelectedBefore(us, keyUs, keyframesBetween, sourceFps));
    }
    return frames;
  }

  /**
   * Seeks so that decoding starts at or before {@code fromMs} at a point from which the frames at
   * the start decode cleanly. Some files
   * have keyframes that are not clean entry points, and some formats seek imprecisely and land
   * after the target: then it starts from an earlier keyframe, and at last from the beginning.
   * This is what makes a split video give the same frames as an unsplit one.
   */
  private void position(long fromMs) throws VideoException {
    if (fromMs <= 0) {
      return;
    }
    fromStart = false;
    long frameMs = Math.max(1, Math.round(1000 / sourceFps));
    long seekTo = fromMs;
    for (int attempt = 0; attempt < 6 && seekTo > 0; attempt++) {
      if (!video.seek(seekTo)) {
        break;
      }
      long landedMs = -1;
      boolean clean = false;
      while (video.next()) {
        decoded++; // decoded again from the entry point once it is found good: counted both times
        long ms = video.frameUs() / 1000;
        if (landedMs < 0) {
          landedMs = ms;
        }
        if (ms >= fromMs || video.frameUs() < 0) {
          clean = !video.frameIsDamaged();
          break;
        }
      }
      if (landedMs < 0) {
        return; // nothing after the seek point: the stretch is empty
      }
      if (clean && landedMs <= fromMs) {
        if (!sampling.needsSceneScores() && video.frameUs() >= 0) {
          // no frame before the start is wanted (a frame is its own history): peek() goes on from
          // the first frame at or after it, decoded already, instead of decoding the way there twice
          hasLookahead = true;
          return;
        }
        video.seek(seekTo); // decode again from the good entry point, now through peek()
        return;
      }
      seekTo = Math.min(seekTo, landedMs) - Math.max(1000, 4 * frameMs) * (attempt + 1);
    }
    if (!video.seek(0)) {
      throw new VideoException("cannot seek in the file, not even to its start");
    }
    fromStart = true;
  }

  /**
   * The next candidate at or after the start and before {@code limitMs}, or null when there is
   * none; calling it again returns the same candidate until {@link #advance()}.
   */
  public Candidate peek(long limitMs) throws VideoException {
    if (peeked != null) {
      return peeked.historyUs() < limitMs * 1000 ? peeked : null;
    }
    while (true) {
      if (!hasLookahead) {
        if (ended || !video.next()) {
          ended = true;
        } else {
          decoded++;
          hasLookahead = true;
        }
      }
      if (hasLookahead && (video.frameUs() < 0 || video.frameIsDamaged())) {
        // a frame without a timestamp cannot be placed, and a damaged one is not worth keeping
        if (video.frameUs() >= fromUs) {
          damagedFrames++;
        }
        hasLookahead = false;
        continue;
      }
      long nextUs = hasLookahead ? video.frameUs() : -1;
      Candidate candidate = null;
      if (hasPending && pendingHistoryUs >= fromUs
          && sampling.select(pendingUs, nextUs, pendingKey, pendingScore, sourceFps)) {
        byte[] thumb = pendingThumb != null ? pendingThumb : converter.thumbnail(pendingFrame, THUMB, THUMB);
        double sharpness = 0;
        if (sampling.needsSharpness()) {
          byte[] detail = converter.detail(pendingFrame);
          sharpness = FrameHashes.sharpness(detail, FrameConverter.DETAIL_WIDTH, detail.length / FrameConverter.DETAIL_WIDTH);
        }
        candidate = new Candidate(pendingUs, Sampling.index(pendingUs, sourceFps), pendingKey, pendingFrame, thumb,
            pendingScore, sharpness, pendingHistoryUs);
      }
      if (candidate != null) {
        if (candidate.historyUs() >= limitMs * 1000) {
          return null;
        }
        peeked = candidate;
        return candidate;
      }
      if (!hasLookahead) {
        hasPending = false;
        return null;
      }
      if (hasPending && pendingHistoryUs >= limitMs * 1000) {
        return null;
      }
      takeLookahead();
    }
  }

  /** Consumes the candidate {@link #peek} returned. */
  public void advance() throws VideoException {
    if (peeked == null) {
      throw new IllegalStateException("advance() without a candidate from peek()");
    }
    peeked = null;
    if (hasLookahead) {
      takeLookahead();
    } else {
      hasPending = false;
    }
  }

  /** Makes the decoded lookahead frame the pending one. */
  private void takeLookahead() throws VideoException {
    av_frame_unref(beforeFrame);
    beforeIndex = -1;
    if (hasPending && FrameConverter.interlaced(pendingFrame)) { // only a field-coded frame is woven with it
      av_frame_move_ref(beforeFrame, pendingFrame);
      beforeIndex = Sampling.index(pendingUs, sourceFps);
    }
    pendingUs = video.frameUs();
    if (!sampling.needsSceneScores()) {
      pendingHistoryUs = pendingUs;
    } else if (taken[1] >= 0) {
      pendingHistoryUs = taken[1];
    } else {
      // fewer than two frames before it: at the video's start it is its own history; after a seek
      // its history lies before the seek point, with the stretch before
      pendingHistoryUs = fromStart ? pendingUs : -1;
    }
    taken[1] = taken[0];
    taken[0] = pendingUs;
    pendingKey = video.frameIsKey();
    pendingThumb = sampling.needsSceneScores() ? converter.thumbnail(video.frame(), THUMB, THUMB) : null;
    pendingScore = pendingThumb != null ? scenes.score(pendingThumb) : 0;
    video.keepFrame(pendingFrame);
    hasPending = true;
    hasLookahead = false;
  }

  /** The candidate's pictures encoded as the configured image format. */
  public byte[] encode(Candidate candidate) throws VideoException {
    // a combed frame is rebuilt from its fields and a neighbour's (telecine) or deinterlaced with
    // both: the frames decoded just before and after it, when they are the ones next to it
    AVFrame before = beforeIndex >= 0 && beforeIndex == candidate.index() - 1 ? beforeFrame : null;
    AVFrame after = candidate == peeked && hasLookahead && video.frameUs() >= 0
        && Sampling.index(video.frameUs(), sourceFps) == candidate.index() + 1 ? video.frame() : null;
    return converter.encode(candidate.frame(), before, after);
  }

  /**
   * Frames decoded, and packets or frames skipped as damaged; frames decoded again after a jump
   * over a group of pictures was undone ({@link FFmpegVideo#skipGroupsWhere}) count again.
   */
  public long decodedFrames() {
    return decoded + video.decodedNotReturned();
  }

  /**
   * Frames read from the file, decoded or left out undecoded ({@link FFmpegVideo#leaveUndecoded},
   * {@link FFmpegVideo#skipGroupsWhere}).
   */
  public long readFrames() {
    return video.packetsRead();
  }

  /** Frames read but not decoded at all ({@link FFmpegVideo#skipGroupsWhere}). */
  public long skippedFrames() {
    return video.packetsSkipped();
  }

  /** Jumps over groups of pictures undone because their keyframe did not start clean decoding. */
  public long jumpsUndone() {
    return video.jumpsUndone();
  }

  public long damaged() {
    return video.damaged() + damagedFrames;
  }

  /**
   * Frees the filter graphs kept from frame to frame (tone mapping: a few hundred megabytes for a
   * 4K frame), for a session that waits; the next frame that needs one builds it again.
   */
  public void releaseFilters() {
    converter.releaseFilters();
  }

  /** What the last {@link #encode} did with HDR. */
  public FrameConverter.Hdr lastHdr() {
    return converter.lastHdr();
  }

  @Override
  public void close() {
    av_frame_free(pendingFrame);
    av_frame_free(beforeFrame);
    video.close();
    converter.close();
  }
}
