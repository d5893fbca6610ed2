package io.reelset.stages.frames;

import io.reelset.compile.Preflight;
import io.reelset.compile.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.FieldType;
import io.reelset.spec.StageConfig;
import io.reelset.stages.inventory.MatchVideos;
import io.reelset.values.Frame;
import java.util.List;
import java.util.Locale;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Stage {@code frame_extraction}: lists the videos of {@code input}, probes them, decodes them
 * in segments on every worker, samples frames, drops near-duplicates and, with {@code save},
 * writes them as images.
 *
 * {@code
 * - id: frames
 *   type: frame_extraction
 *   config:
 *     input: "media/*.mkv"
 *     sampling: {mode: scene, threshold: 0.3, min_interval_s: 0.5}
 *     dedupe: {method: dhash, max_distance: 6}
 *     save: true
 * }
 */
public final class FrameExtractionProvider implements StageProvider {
  public static final String TYPE = "frame_extraction";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "decodes videos with FFmpeg in parallel segments, samples frames and drops near-duplicates";
  }

  @Override
  public ConfigSchema configSchema() {
    return MatchVideos.inputFields(ConfigSchema.builder())
        .object("sampling", ConfigSchema.builder()
            .choice("mode", "fps", "which frames to take", "every_n", "fps", "keyframes", "scene")
            .integer("n", 10, 1, 1_000_000, "every_n: take every n-th frame")
            .number("fps", 1.0, 0.001, 1000, "fps: frames per second, as ffmpeg -vf fps=R")
            .number("threshold", 0.3, 0, 1, "scene: the scene score above which a frame starts a new shot")
            .number("min_interval_s", 0, 0, 86_400, "any mode: at least this many seconds between kept frames")
            .build(), "how frames are chosen")
        .object("dedupe", ConfigSchema.builder()
            .choice("method", "none", "near-duplicate removal within a video", "none", "dhash")
            .integer("max_distance", 6, 0, 64, "dhash: frames this many bits apart or closer are duplicates")
            .build(), "near-duplicate removal")
        .object("image", ConfigSchema.builder()
            .choice("format", "jpg", "how frames are encoded", "jpg", "png")
            .integer("jpeg_quality", 2, 2, 31, "jpg: FFmpeg's quality scale, 2 best, as ffmpeg -q:v")
            .build(), "the encoded images")
        .optional("save", FieldType.BOOLEAN, false, "also write <output_dir>/<video key>/<pts ms>.<jpg|png>")
        .number("segment_seconds", 10, 1, 86_400, "length of the pieces one video is decoded in, in parallel")
        .integer("decoder_threads", 1, 0, 64, "FFmpeg threads per segment; 0 lets FFmpeg choose")
        .build();
  }

  @Override
  public List<String> inputKinds() {
    return List.of();
  }

  @Override
  public String outputKind() {
    return Frame.class.getSimpleName();
  }


  @Override
  public void preflight(StageContext context, Preflight checks) {
    StageConfig config = context.config();
    MatchVideos.InputCheck input = MatchVideos.check(config.getString("input"),
        config.getList("extensions").stream().map(String::valueOf).toList());
    input.problems().forEach(p -> checks.problem(context.stageId(), "config." + p));
    checks.addInputBytes(input.bytes());
    // the frames are recorded for resume (and written again with save)
    checks.addEstimate(FrameEstimate.bytes(input, config) * (config.getBoolean("save") ? 2 : 1));
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context) {
    StageConfig config = context.config();
    StageConfig sampling = config.getConfig("sampling");
    StageConfig dedupe = config.getConfig("dedupe");
    StageConfig image = config.getConfig("image");
    ExtractFrames extract = ExtractFrames.from(config.getString("input"), context.stageId())
        .withExtensions(config.getList("extensions").stream().map(String::valueOf).toList())
        .withSampling(new Sampling(Sampling.Mode.parse(sampling.getString("mode")), sampling.getLong("n"),
            sampling.getDouble("fps"), sampling.getDouble("threshold")))
        .withMinInterval(Math.round(sampling.getDouble("min_interval_s") * 1000))
        .withDedupe(dedupe.getString("method").equals("dhash") ? dedupe.getInt("max_distance") : -1)
        .withImage(FrameConverter.Format.valueOf(image.getString("format").toUpperCase(Locale.ROOT)),
            image.getInt("jpeg_quality"))
        .withSegmentMs(Math.round(config.getDouble("segment_seconds") * 1000))
        .withDecoderThreads(config.getInt("decoder_threads"));
    if (config.getBoolean("save")) {
      extract = extract.savingTo(context.outputDir());
    }
    if (context.checkpoints() != null) {
      extract = extract.resumingWith(context.checkpoints());
    }
    extract = extract.retrying(Retry.of(context));
    PCollectionTuple result = inputs.begin().apply("Extract", extract);
    return new StageResult(result.get(ExtractFrames.FRAMES), result.get(ExtractFrames.FAILURES));
  }

}
