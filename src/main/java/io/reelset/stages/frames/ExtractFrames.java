package io.reelset.stages.frames;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.Retry;
import io.reelset.kit.StageMetrics;
import io.reelset.media.FFmpegLibraries;
import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.media.VideoKeys;
import io.reelset.corpus.MatchVideos;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import io.reelset.values.ProbedVideoCoder;
import java.util.List;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.WithFailures;
import io.reelset.spec.ConfigSchema;
import java.util.Map;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Frames from the videos of an input: {@link MatchVideos}, probe, decode in segments with a
 * splittable DoFn, sample, keep frames apart in time and unlike each other, and optionally save
 * them. Every video or stretch that fails becomes a {@link Failure}; the rest goes on.
 *
 * {@code
 * WithFailures.Result<PCollection<Frame>, Failure> out = p.apply(ExtractFrames.from("media/*.mkv", "frames")
 *     .withSampling(new Sampling(Sampling.Mode.FPS, 1, 1.0, 0))
 *     .withSegmentMs(30_000));
 * PCollection<Frame> frames = out.output();
 * }
 */
public final class ExtractFrames extends PTransform<PBegin, WithFailures.Result<PCollection<Frame>, Failure>> {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final String stageId;
  private final List<String> extensions;
  private final Sampling sampling;
  private final ShotChoice shots;
  private final long minIntervalMs;
  private final int maxDistance;
  private final boolean acrossVideos;
  private final FrameConverter.Format format;
  private final int jpegQuality;
  private final long segmentMs;
  private final int decoderThreads;
  private final String saveDir;
  private final Checkpoints checkpoints;
  private final Retry retry;

  private ExtractFrames(String input, String stageId, List<String> extensions, Sampling sampling, ShotChoice shots,
      long minIntervalMs, int maxDistance, boolean acrossVideos, FrameConverter.Format format, int jpegQuality,
      long segmentMs, int decoderThreads, String saveDir, Checkpoints checkpoints, Retry retry) {
    this.input = input;
    this.stageId = stageId;
    this.extensions = List.copyOf(extensions);
    this.sampling = sampling;
    this.shots = shots;
    this.minIntervalMs = minIntervalMs;
    this.maxDistance = maxDistance;
    this.acrossVideos = acrossVideos;
    this.format = format;
    this.jpegQuality = jpegQuality;
    this.segmentMs = segmentMs;
    this.decoderThreads = decoderThreads;
    this.saveDir = saveDir;
    this.checkpoints = checkpoints;
    this.retry = retry;
  }

  /** Frames of the videos {@code input} names (glob, directory or list file), with the stage's defaults. */
  public static ExtractFrames from(String input, String stageId) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("ExtractFrames.from(input): input must not be empty");
    }
    return of(ConfigSchema.defaults(FrameExtractionConfig.class, Map.of("input", input)), stageId);
  }

  /** Frames as {@code config} says (without saving, records or retries: see the {@code with} methods). */
  public static ExtractFrames of(FrameExtractionConfig config, String stageId) {
    return new ExtractFrames(config.input(), stageId, config.extensions(), config.sampling().sampling(),
        config.sampling().shotChoice(), Math.round(config.sampling().minIntervalS() * 1000), config.dedupe().distance(),
        config.dedupe().acrossVideos(), config.image().format(),
        config.image().jpegQuality(), Math.round(config.segmentSeconds() * 1000), config.decoderThreads(), null,
        null, null);
  }

  public ExtractFrames withExtensions(List<String> newExtensions) {
    return new ExtractFrames(input, stageId, newExtensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  public ExtractFrames withSampling(Sampling newSampling) {
    return new ExtractFrames(input, stageId, extensions, newSampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  /** At least this many milliseconds between kept frames of a video; 0 (default) for no limit. */
  public ExtractFrames withMinInterval(long ms) {
    if (ms < 0) {
      throw new IllegalArgumentException("withMinInterval: " + ms + " must be 0 or more milliseconds");
    }
    return new ExtractFrames(input, stageId, extensions, sampling, shots, ms, maxDistance, acrossVideos, format, jpegQuality,
        segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  /** Drops frames within {@code distance} bits (dHash) of a kept one; -1 (default) keeps all. */
  public ExtractFrames withDedupe(int distance) {
    if (distance < -1 || distance > 64) {
      throw new IllegalArgumentException("withDedupe: " + distance + " is out of range -1 to 64");
    }
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, distance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  /**
   * Also drops a frame within the de-duplication distance of one kept from another video (the
   * opening and ending every episode repeats); the video whose key sorts first keeps it.
   */
  public ExtractFrames withDedupeAcrossVideos(boolean across) {
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance,
        across, format, jpegQuality, segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  public ExtractFrames withImage(FrameConverter.Format newFormat, int quality) {
    if (quality < 2 || quality > 31) {
      throw new IllegalArgumentException("withImage: jpeg quality " + quality + " is out of range 2 to 31");
    }
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, newFormat,
        quality, segmentMs, decoderThreads, saveDir, checkpoints, retry);
  }

  /** The length of the pieces a video is first split into (default 10 s); each may run elsewhere. */
  public ExtractFrames withSegmentMs(long ms) {
    if (ms < 1) {
      throw new IllegalArgumentException("withSegmentMs: " + ms + " must be at least 1 millisecond");
    }
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, ms, decoderThreads, saveDir, checkpoints, retry);
  }

  /** FFmpeg decoder threads per segment (default 1; 0 lets FFmpeg choose). */
  public ExtractFrames withDecoderThreads(int threads) {
    if (threads < 0) {
      throw new IllegalArgumentException("withDecoderThreads: " + threads + " must be 0 or more");
    }
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, threads, saveDir, checkpoints, retry);
  }

  /** Also writes every kept frame under {@code directory}. */
  public ExtractFrames savingTo(String directory) {
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, directory, checkpoints, retry);
  }

  /**
   * Records each decoded piece of a video's timeline with its frames in {@code records}, and reads
   * back the pieces an earlier run recorded instead of decoding them again.
   */
  public ExtractFrames resumingWith(Checkpoints records) {
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, saveDir, records, retry);
  }

  /** Tries opening a video again on transient (I/O) errors. */
  public ExtractFrames retrying(Retry policy) {
    return new ExtractFrames(input, stageId, extensions, sampling, shots, minIntervalMs, maxDistance, acrossVideos, format,
        jpegQuality, segmentMs, decoderThreads, saveDir, checkpoints, policy);
  }

  @Override
  public WithFailures.Result<PCollection<Frame>, Failure> expand(PBegin begin) {
    // on an embedded runner the same JVM decodes: load FFmpeg while the runner starts
    FFmpegLibraries.preloadInBackground();
    PCollectionTuple matched = begin.apply("Match", MatchVideos.from(input, stageId).withExtensions(extensions));
    PCollectionTuple probed = matched.get(MatchVideos.VIDEOS)
        .apply("Probe", ParDo.of(new ProbeVideoFn(stageId))
            .withOutputTags(ProbeVideoFn.PROBED, TupleTagList.of(ProbeVideoFn.FAILURES)));
    PCollectionTuple decoded = probed.get(ProbeVideoFn.PROBED).setCoder(ProbedVideoCoder.of())
        .apply("Decode", ParDo.of(new ExtractFramesFn(stageId, sampling, segmentMs, decoderThreads, format,
                jpegQuality, retry == null ? Retry.none(StageMetrics.namespace(stageId)) : retry, checkpoints))
            .withOutputTags(ExtractFramesFn.FRAMES, TupleTagList.of(ExtractFramesFn.FAILURES)));
    PCollection<Frame> frames = decoded.get(ExtractFramesFn.FRAMES).setCoder(FrameCoder.of())
        .apply("Select", new SelectFrames(stageId, minIntervalMs, maxDistance, acrossVideos,
            sampling.mode() == Sampling.Mode.SHOTS ? shots : null, sampling.threshold()));
    if (saveDir != null) {
      frames = frames.apply("Save", ParDo.of(new WriteFramesFn(saveDir))).setCoder(FrameCoder.of());
    }
    PCollection<Failure> decodeFailures = decoded.get(ExtractFramesFn.FAILURES).setCoder(FailureCoder.of());
    PCollection<Failure> failures = PCollectionList
        .of(matched.get(MatchVideos.FAILURES))
        .and(probed.get(ProbeVideoFn.FAILURES).setCoder(FailureCoder.of()))
        .and(decodeFailures)
        .apply("Failures", Flatten.pCollections());
    return WithFailures.Result.of(frames, failures);
  }
}
