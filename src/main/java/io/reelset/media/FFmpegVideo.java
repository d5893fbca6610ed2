package io.reelset.media;

import io.reelset.values.VideoInfo;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_frame_rate;
import static org.bytedeco.ffmpeg.global.avformat.av_guess_sample_aspect_ratio;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_ref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;

/**
 * One open video file, read with FFmpeg's own demuxers and decoders through JavaCPP: probing,
 * seeking and decoding frame by frame in the decoder's native pixel format (no conversion of
 * frames that are not kept).
 *
 * <p>Timestamps are milliseconds from the start of the file, as the {@code ffmpeg} command
 * counts them. Damaged packets and frames are skipped and counted, never thrown. Not thread-safe;
 * always {@link #close()} it, it holds native memory.
 */
public final class FFmpegVideo implements AutoCloseable {
  private static final int EAGAIN = -11;
  /** How many of the latest packets' timestamps are kept to tell a frame's successor before decoding. */
  private static final int RECENT = 32;
  /** {@code AV_FRAME_FLAG_CORRUPT} and {@code AV_FRAME_FLAG_KEY} from libavutil/frame.h. */
  private static final int FLAG_CORRUPT = 1;
  private static final int FLAG_KEY = 1 << 1;

  static {
    av_log_set_level(AV_LOG_FATAL); // damaged input is counted, not logged per packet
  }

  private final String path;
  private AVFormatContext format;
  private AVCodecContext decoder;
  private AVPacket packet;
  private AVFrame frame;
  private final int streamIndex;
  private final AVRational timeBase;
  /**
   * The pixel shape the container declares (Matroska's display size, MP4's pasp), which wins over
   * the one in the codec's headers, as in FFmpeg's {@code av_guess_sample_aspect_ratio}; null when
   * the container declares none.
   */
  private final AVRational containerAspect;
  private final long startUs;
  private boolean draining;
  private long damaged;
  private long readErrors;
  private long packetsRead;
  private Unwanted unwanted;
  private int skipFrame = AVDISCARD_DEFAULT;
  /** The timestamps of the latest packets read, in microseconds (a ring; empty slots hold the least long). */
  private final long[] recentUs = new long[RECENT];
  private int recentNext;
  /** Keyframe timestamps (milliseconds, ascending) and the test for groups left unread; null: read all. */
  private long[] keyframesMs;
  private NoneWanted noneWanted;
  /** The keyframe (milliseconds) packets are dropped until, or -1 when none is sought. */
  private long jumpToMs = -1;
  /** The latest keyframe packet read since the last seek, in milliseconds. */
  private long lastKeyReadMs = Long.MIN_VALUE;
  /** The keyframe a jump landed on, whose frame must be the next out, clean (-1: none to check). */
  private long landedMs = -1;
  /** After a jump was undone: frames up to this one were returned before, and are dropped. */
  private long resumeAfterUs = Long.MIN_VALUE;
  /** The last frame returned, and where the caller last sought (-1: the file's start). */
  private long lastOutUs = Long.MIN_VALUE;
  private long entryMs = -1;
  private long packetsSkipped;
  private long jumpsUndone;
  private long decodedNotReturned;

  /**
   * Tells, before a frame is decoded, that the caller will not want it: from its timestamp and the
   * earliest later timestamp among the packets read so far ({@code laterUs}, -1 when none is known).
   */
  @FunctionalInterface
  public interface Unwanted {
    boolean test(long us, long laterUs);
  }

  /**
   * Tells, as a frame comes out of the decoder, that the caller wants none of the frames after it
   * and before a keyframe ({@code keyUs}, an upper bound of its timestamp; {@code keyframesBetween}:
   * whether other keyframes lie between them), nor needs them to judge the ones it wants.
   */
  @FunctionalInterface
  public interface NoneWanted {
    boolean test(long us, long keyUs, boolean keyframesBetween);
  }

  private FFmpegVideo(String path, int threads) throws VideoException {
    this.path = path;
    format = new AVFormatContext(null);
    int ret = avformat_open_input(format, path, null, null);
    if (ret < 0) {
      format = null;
      throw new VideoException("not a video FFmpeg can read (" + error(ret) + ")");
    }
    try {
      ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
      if (ret < 0) {
        throw new VideoException("cannot read the stream information (" + error(ret) + ")");
      }
      streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
      if (streamIndex < 0) {
        throw new VideoException("no video stream (the file has " + format.nb_streams()
            + " stream" + (format.nb_streams() == 1 ? "" : "s") + ", none of them video)");
      }
      AVStream stream = format.streams(streamIndex);
      timeBase = stream.time_base();
      AVRational declared = stream.sample_aspect_ratio();
      containerAspect = declared.num() > 0 && declared.den() > 0
          ? new AVRational().num(declared.num()).den(declared.den()) : null;
      AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
      if (codec == null) {
        throw new VideoException("no decoder for the video codec "
            + avcodec_get_name(stream.codecpar().codec_id()).getString());
      }
      decoder = avcodec_alloc_context3(codec);
      avcodec_parameters_to_context(decoder, stream.codecpar());
      decoder.thread_count(Math.max(0, threads));
      ret = avcodec_open2(decoder, codec, (AVDictionary) null);
      if (ret < 0) {
        throw new VideoException("cannot open the " + codec.name().getString() + " decoder (" + error(ret) + ")");
      }
      long start = format.start_time();
      startUs = start == AV_NOPTS_VALUE ? 0 : start;
      packet = av_packet_alloc();
      frame = av_frame_alloc();
      Arrays.fill(recentUs, Long.MIN_VALUE); // never later than a frame, whatever its sign
    } catch (VideoException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Opens a local file.
   *
   * @param threads decoder threads; 0 lets FFmpeg choose, 1 decodes on the calling thread only
   */
  public static FFmpegVideo open(String path, int threads) throws VideoException {
    return new FFmpegVideo(path, threads);
  }

  /**
   * The result of {@link #probe}: the video's facts, a problem found while scanning it, and whether
   * its frames come at a rate other than the one declared in a container that times each frame
   * (variable frame rate: normal there, the timestamps are used, not a problem).
   */
  public record Probe(VideoInfo info, String problem, boolean variableRate) {}

  /** Containers that time each frame, where frames at another rate than the declared one are VFR. */
  private static final java.util.Set<String> TIMED = java.util.Set.of("matroska", "webm", "mov", "mp4", "mpegts",
      "flv", "ogg", "nut");
  /**
   * Containers that give every packet the time it is shown, so that the probe's keyframes are where
   * groups of pictures start as frames are shown; MPEG program and transport streams time some
   * packets by their decoding only.
   */
  private static final java.util.Set<String> TIMED_AS_SHOWN = java.util.Set.of("matroska", "webm", "mov", "mp4",
      "nut");

  /**
   * Reads the stream's facts; with {@code scanPackets}, also reads every packet (no decoding) to
   * find the keyframes and the true end of the data, which tells a truncated file. Leaves the
   * video positioned at its start.
   */
  public Probe probe(boolean scanPackets) throws VideoException {
    AVStream stream = format.streams(streamIndex);
    AVRational guessed = av_guess_frame_rate(format, stream, null);
    AVRational rate = guessed.num() > 0 && guessed.den() > 0 ? guessed : stream.avg_frame_rate();
    long declaredUs = stream.duration() != AV_NOPTS_VALUE && stream.duration() > 0
        ? toUs(stream.duration()) - (stream.start_time() == AV_NOPTS_VALUE ? 0 : toUs(stream.start_time()))
        : format.duration() != AV_NOPTS_VALUE ? format.duration() : -1;
    String problem = null;
    boolean variableRate = false;
    List<Long> keyframes = new ArrayList<>();
    long packets = 0;
    long endUs = -1;
    long firstUs = Long.MAX_VALUE;
    long lastUs = Long.MIN_VALUE;
    if (scanPackets) {
      int ret;
      while ((ret = av_read_frame(format, packet)) >= 0) {
        if (packet.stream_index() == streamIndex) {
          packets++;
          long us = packetUs();
          if (us != Long.MIN_VALUE) {
            firstUs = Math.min(firstUs, us);
            lastUs = Math.max(lastUs, us);
            endUs = Math.max(endUs, us + Math.max(0, toUs(packet.duration())));
            if ((packet.flags() & AV_PKT_FLAG_KEY) != 0) {
              keyframes.add(keyframeMs(us));
            }
          }
        }
        av_packet_unref(packet);
      }
      if (ret != AVERROR_EOF) {
        problem = "reading stopped at " + seconds(endUs) + " s: " + error(ret);
      }
      if (declaredUs > 0 && endUs >= 0 && endUs < declaredUs - Math.max(1_000_000, declaredUs / 20)) {
        problem = "the data ends at " + seconds(endUs) + " s but the header says " + seconds(declaredUs)
            + " s (truncated?); the frames up to there are still extracted";
      }
      rewind();
    }
    long durationUs = endUs > 0 && (declaredUs <= 0 || problem != null) ? endUs : declaredUs;
    if (durationUs <= 0) {
      throw new VideoException("the video has no duration and no timestamps");
    }
    double measured = packets > 1 && lastUs > firstUs ? (packets - 1) * 1_000_000.0 / (lastUs - firstUs) : 0;
    double fps;
    String fpsText;
    if (rate.num() > 0 && rate.den() > 0) {
      fps = (double) rate.num() / rate.den();
      fpsText = rate.den() == 1 ? Integer.toString(rate.num()) : rate.num() + "/" + rate.den();
      if (measured > 0 && packets >= 2 && Math.abs(fps - measured) / measured > 0.1 && problem == null) {
        if (timesEachFrame()) {
          variableRate = true; // a web rip's 23.976 with 29.97 credits, a screen recording: normal
        } else {
          problem = String.format(java.util.Locale.ROOT, "the declared frame rate %s disagrees with the"
              + " timestamps (%.3f fps); the timestamps are used", fpsText, measured);
        }
        fps = measured;
        fpsText = String.format(java.util.Locale.ROOT, "%.3f", measured);
      }
    } else if (measured > 0) {
      fps = measured;
      fpsText = String.format(java.util.Locale.ROOT, "%.3f", measured);
      if (problem == null) {
        problem = "the frame rate is not declared (0/0); " + fpsText + " fps measured from the timestamps is used";
      }
    } else {
      throw new VideoException("the frame rate is unknown (0/0) and cannot be measured");
    }
    long frames = stream.nb_frames() > 0 ? stream.nb_frames()
        : packets > 0 ? packets : Math.round(durationUs * fps / 1_000_000.0);
    long[] keys = keyframes.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
    AVRational aspect = av_guess_sample_aspect_ratio(format, stream, null);
    AVPacketSideData matrix = av_packet_side_data_get(stream.codecpar().coded_side_data(),
        stream.codecpar().nb_coded_side_data(), AV_PKT_DATA_DISPLAYMATRIX);
    int[] size = FrameConverter.turned( // as shown: square pixels, upright
        FrameConverter.squarePixels(stream.codecpar().width(), stream.codecpar().height(), aspect.num(), aspect.den()),
        matrix == null ? 0 : FrameConverter.quarterTurns(matrix.data(), matrix.size()));
    return new Probe(new VideoInfo(durationUs / 1000, fps, fpsText, frames,
        avcodec_get_name(stream.codecpar().codec_id()).getString(), size[0], size[1], keys), problem, variableRate);
  }

  /**
   * Whether the container gives each frame its own time (Matroska, MP4, TS...), so that frames at a
   * rate other than the declared one are a variable frame rate; in AVI, which times frames by the
   * declared rate alone, they mean a damaged header.
   */
  private boolean timesEachFrame() {
    return containerIsOneOf(TIMED);
  }

  /** Whether one of the names of the container's format (FFmpeg's, such as "mov,mp4,m4a") is in {@code names}. */
  private boolean containerIsOneOf(java.util.Set<String> names) {
    String formatNames = format.iformat() == null ? "" : format.iformat().name().getString();
    return java.util.Arrays.stream(formatNames.split(",")).anyMatch(names::contains);
  }

  /**
   * Positions the video at the keyframe at or before {@code ms}; false if the file cannot seek.
   * The target is the millisecond's last microsecond: a keyframe at 4004.170 ms is the one at or
   * before 4004 ms as frames and keyframes are timed (milliseconds rounded down), not the one
   * before it (which cost a whole group of pictures decoded again at every start at 23.976 fps).
   */
  public boolean seek(long ms) {
    if (!reposition(ms)) {
      return false;
    }
    entryMs = ms;
    resumeAfterUs = Long.MIN_VALUE;
    return true;
  }

  private boolean reposition(long ms) {
    long target = fromUs(ms * 1000 + 999 + startUs);
    int ret = av_seek_frame(format, streamIndex, target, AVSEEK_FLAG_BACKWARD);
    if (ret < 0) {
      return false;
    }
    afterSeek();
    return true;
  }

  /** The decoder emptied and nothing sought: what any seek leaves. */
  private void afterSeek() {
    avcodec_flush_buffers(decoder);
    draining = false;
    jumpToMs = -1;
    landedMs = -1;
    lastKeyReadMs = Long.MIN_VALUE;
  }

  private void rewind() throws VideoException {
    if (!seek(0) && av_seek_frame(format, -1, Long.MIN_VALUE + 1, AVSEEK_FLAG_BACKWARD) < 0) {
      throw new VideoException("cannot seek back to the start of the file");
    }
    afterSeek();
  }

  /**
   * Decodes the next frame; false at the end of the video. Packets the decoder rejects are
   * skipped and counted in {@link #damaged()}; frames it had to patch up are returned, marked
   * {@link #frameIsDamaged()}.
   */
  public boolean next() {
    av_frame_unref(frame);
    while (true) {
      int ret = avcodec_receive_frame(decoder, frame);
      if (ret == 0) {
        long us = frameUs();
        if (resumeAfterUs != Long.MIN_VALUE) {
          if (us <= resumeAfterUs) {
            decodedNotReturned++;
            continue; // returned before the jump that was undone
          }
          resumeAfterUs = Long.MIN_VALUE;
        }
        if (landedMs >= 0) {
          // decoding that starts at the keyframe jumped to must give that keyframe first, whole: a
          // keyframe that is only a recovery point (intra refresh) or was flagged wrongly does not
          boolean clean = us >= 0 && keyframeMs(us) == landedMs && frameIsKey() && !frameIsDamaged();
          landedMs = -1;
          if (!clean) {
            decodedNotReturned++;
            undoJump();
            continue;
          }
        }
        if (containerAspect != null) {
          frame.sample_aspect_ratio(containerAspect);
        }
        if (noneWanted != null && jumpToMs < 0 && us >= 0) {
          jumpIfNoneWanted(us);
        }
        if (us >= 0) {
          lastOutUs = us;
        }
        return true;
      }
      if (ret == AVERROR_EOF) {
        return false;
      }
      if (ret != EAGAIN) {
        damaged++;
        continue;
      }
      if (draining) {
        return false;
      }
      int read = av_read_frame(format, packet);
      if (read < 0) {
        if (read != AVERROR_EOF) {
          readErrors++;
        }
        if (jumpToMs >= 0) {
          undoJump(); // the keyframe sought never came
          continue;
        }
        avcodec_send_packet(decoder, null);
        draining = true;
        continue;
      }
      if (packet.stream_index() == streamIndex) {
        packetsRead++;
        if (jumpToMs >= 0 || (packet.flags() & AV_PKT_FLAG_KEY) != 0) {
          if (!continueAtKeyframe()) {
            packetsSkipped++;
            av_packet_unref(packet);
            continue;
          }
        }
        if (unwanted != null) {
          leaveUndecodedIfUnwanted();
        }
        int sent = avcodec_send_packet(decoder, packet);
        if (sent < 0 && sent != EAGAIN && sent != AVERROR_EOF) {
          damaged++;
        }
      }
      av_packet_unref(packet);
    }
  }

  /**
   * From now on, frames that {@code unwanted} rejects before decoding are not decoded when no
   * other frame refers to them (FFmpeg's {@code skip_frame} {@code nonref}, set packet by packet:
   * H.264's and HEVC's non-reference pictures, MPEG's B-frames); every other frame decodes as
   * before. Keyframes are always decoded. Null decodes everything.
   */
  public void leaveUndecoded(Unwanted unwanted) {
    this.unwanted = unwanted;
  }

  /**
   * From now on, where {@code noneWanted} says that no frame between a decoded frame and the next
   * keyframe is wanted, the packets in between are read but not decoded at all (unlike
   * {@link #leaveUndecoded}, whose frames are still decoded when others refer to them), and decoding
   * starts afresh at the keyframe, as after a seek (the leading pictures of an open group of
   * pictures, which refer to frames not decoded, are shown before the keyframe and are not wanted
   * either; FFmpeg's H.264, HEVC, MPEG-2 and MPEG-4 decoders drop them after the flush). Only in
   * containers that time every packet as shown, and only while every keyframe packet read is one
   * the probe listed ({@link VideoInfo#keyframesMs()}); empty or null: every packet is decoded.
   */
  public void skipGroupsWhere(long[] keyframesMs, NoneWanted noneWanted) {
    boolean any = keyframesMs != null && keyframesMs.length > 0 && noneWanted != null
        && containerIsOneOf(TIMED_AS_SHOWN);
    this.keyframesMs = any ? keyframesMs.clone() : null;
    this.noneWanted = any ? noneWanted : null;
    jumpToMs = -1;
  }

  /** No more groups are left undecoded in this video. */
  private void stopSkipping() {
    keyframesMs = null;
    noneWanted = null;
  }

  /**
   * Starts a jump when no frame after the one at {@code us} and before the next keyframe is wanted:
   * to the furthest keyframe before which none is (short groups of pictures, or video of keyframes
   * alone, are jumped over several at a time).
   */
  private void jumpIfNoneWanted(long us) {
    int i = Arrays.binarySearch(keyframesMs, Math.floorDiv(us, 1000) + 1);
    int first = i >= 0 ? i : -i - 1;
    long keyMs = -1;
    for (int at = first; at < keyframesMs.length && noneWanted.test(us, keyframesMs[at] * 1000 + 999, at > first);
        at++) {
      keyMs = keyframesMs[at];
    }
    // the keyframe's packet must still be ahead: one already sent to the decoder is decoded on
    if (keyMs >= 0 && lastKeyReadMs < keyMs) {
      jumpToMs = keyMs;
    }
  }

  /**
   * For a keyframe packet, or any packet while a jump is on: whether it is decoded. The keyframe
   * jumped to ends the jump: what the decoder holds is dropped, and decoding starts there afresh.
   */
  private boolean continueAtKeyframe() {
    boolean key = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
    long us = packetUs(); // as the probe timed the keyframes it listed
    boolean timed = us != Long.MIN_VALUE;
    if (key && timed) {
      lastKeyReadMs = Math.max(lastKeyReadMs, keyframeMs(us));
    }
    if (key && keyframesMs != null && (packet.pts() == AV_NOPTS_VALUE
        || Arrays.binarySearch(keyframesMs, keyframeMs(us)) < 0)) {
      // a keyframe timed by its decoding time only, or one the probe did not list: the list cannot
      // tell where groups start as frames are shown, and no more groups are left undecoded
      stopSkipping(); // a jump under way goes on to its keyframe, and is checked there
    }
    if (jumpToMs < 0) {
      return true;
    }
    if (!key || !timed || keyframeMs(us) < jumpToMs) {
      return false;
    }
    avcodec_flush_buffers(decoder);
    landedMs = keyframeMs(us) == jumpToMs ? jumpToMs : -2; // past the keyframe sought: checked, and undone
    jumpToMs = -1;
    return true;
  }

  /**
   * Undoes a jump whose keyframe did not start clean decoding: groups are no longer left undecoded
   * in this video, and decoding starts again where the caller last sought (or at the start), every
   * frame up to the last one returned dropped, so that the frames after it come as they would have
   * without the jump.
   */
  private void undoJump() {
    jumpsUndone++;
    stopSkipping();
    long after = lastOutUs;
    if (reposition(Math.max(0, entryMs))) {
      resumeAfterUs = after;
    } else {
      jumpToMs = -1; // cannot seek back: decoding goes on from the keyframe, the frames between lost
      landedMs = -1;
      readErrors++;
    }
  }

  /**
   * The current packet's time in microseconds from the start of the file: its presentation time,
   * else its decoding time; {@link Long#MIN_VALUE} when it has neither.
   */
  private long packetUs() {
    long ts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
    return ts == AV_NOPTS_VALUE ? Long.MIN_VALUE : toUs(ts) - startUs;
  }

  /** A keyframe's timestamp as the probe lists it: milliseconds, none before the start. */
  private static long keyframeMs(long us) {
    return Math.max(0, us / 1000);
  }

  /** Packets read but not decoded at all ({@link #skipGroupsWhere}). */
  public long packetsSkipped() {
    return packetsSkipped;
  }

  /** Frames decoded but not returned: decoded again after a jump was undone, or where it landed. */
  public long decodedNotReturned() {
    return decodedNotReturned;
  }

  /** Jumps to a keyframe that did not start clean decoding, undone by decoding again from the entry point. */
  public long jumpsUndone() {
    return jumpsUndone;
  }

  /** Sets the decoder to skip the current packet's frame if it is unwanted and unreferenced. */
  private void leaveUndecodedIfUnwanted() {
    long ts = packet.pts();
    int skip = AVDISCARD_DEFAULT;
    if (ts != AV_NOPTS_VALUE) {
      long us = toUs(ts) - startUs;
      long laterUs = -1;
      for (long known : recentUs) {
        if (known > us && (laterUs < 0 || known < laterUs)) {
          laterUs = known;
        }
      }
      recentUs[recentNext] = us;
      recentNext = (recentNext + 1) % RECENT;
      if ((packet.flags() & AV_PKT_FLAG_KEY) == 0 && unwanted.test(us, laterUs)) {
        skip = AVDISCARD_NONREF;
      }
    }
    if (skip != skipFrame) {
      decoder.skip_frame(skip);
      skipFrame = skip;
    }
  }

  /**
   * Whether the stream says its pictures are coded as fields (interlaced or telecined: FFmpeg's
   * field order top or bottom first), as probed when the file was opened; false for progressive
   * video and video that does not say.
   */
  public boolean fieldCoded() {
    return format.streams(streamIndex).codecpar().field_order() >= AV_FIELD_TT;
  }

  /** Packets of the video stream read so far: the frames read, decoded or not. */
  public long packetsRead() {
    return packetsRead;
  }

  /** The frame {@link #next()} decoded; valid until the next call. */
  public AVFrame frame() {
    return frame;
  }

  /** Its timestamp in microseconds from the start of the file. */
  public long frameUs() {
    long ts = frame.best_effort_timestamp();
    return ts == AV_NOPTS_VALUE ? -1 : toUs(ts) - startUs;
  }

  public boolean frameIsKey() {
    return (frame.flags() & FLAG_KEY) != 0;
  }

  /**
   * Whether the decoder marked the frame corrupt or concealed errors in it: damaged data, or a
   * frame whose references were lost by seeking to a keyframe that is not a clean entry point.
   */
  public boolean frameIsDamaged() {
    return (frame.flags() & FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0;
  }

  /** Makes {@code target} refer to the current frame's pictures (no copy), so it survives {@link #next()}. */
  public void keepFrame(AVFrame target) {
    av_frame_unref(target);
    av_frame_ref(target, frame);
  }

  /** Packets the decoder rejected, and read errors, so far. */
  public long damaged() {
    return damaged + readErrors;
  }

  public String path() {
    return path;
  }

  private long toUs(long ts) {
    return ts * 1_000_000L * timeBase.num() / timeBase.den();
  }

  private long fromUs(long us) {
    return Math.floorDiv(us * timeBase.den(), 1_000_000L * timeBase.num());
  }

  private static String seconds(long us) {
    return String.format(java.util.Locale.ROOT, "%.3f", us / 1_000_000.0);
  }

  static String error(int code) {
    byte[] buffer = new byte[256];
    av_strerror(code, buffer, buffer.length);
    int end = 0;
    while (end < buffer.length && buffer[end] != 0) {
      end++;
    }
    return new String(buffer, 0, end, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (frame != null) {
      av_frame_free(frame);
      frame = null;
    }
    if (packet != null) {
      av_packet_free(packet);
      packet = null;
    }
    if (decoder != null) {
      avcodec_free_context(decoder);
      decoder = null;
    }
    if (format != null) {
      avformat_close_input(format);
      format = null;
    }
  }


}
