package io.reelset.stages.frames;

import io.reelset.kit.Preflight;
import io.reelset.kit.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.corpus.MatchVideos;
import io.reelset.values.Frame;
import java.util.List;

/**
 * Stage {@code frame_extraction}: lists the videos of {@code input}, probes them, decodes them
 * in segments on every worker, samples frames, drops near-duplicates and, with {@code save},
 * writes them as images ({@link ExtractFrames}).
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
public final class FrameExtractionProvider implements StageProvider<FrameExtractionConfig> {
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
  public Class<FrameExtractionConfig> configType() {
    return FrameExtractionConfig.class;
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
  public void preflight(StageContext context, FrameExtractionConfig config, Preflight checks) {
    MatchVideos.InputCheck input = MatchVideos.check(config.input(), config.extensions());
    input.problems().forEach(p -> checks.problem(context.stageId(), "config." + p));
    checks.addInputBytes(input.bytes());
    // the frames are recorded for resume (and written again with save)
    checks.addEstimate(FrameEstimate.bytes(input, config) * (config.save() ? 2 : 1));
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, FrameExtractionConfig config) {
    ExtractFrames extract = ExtractFrames.of(config, context.stageId()).retrying(context.retryPolicy());
    if (config.save()) {
      extract = extract.savingTo(context.outputDir());
    }
    if (context.checkpoints() != null) {
      extract = extract.resumingWith(context.checkpoints());
    }
    return StageResult.of(inputs.begin().apply("Extract", extract));
  }

  /**
   * Recorded pieces hold whole groups of pictures since claims are per group, frames their scene
   * score and sharpness, and with scene scores the first two frames of the next group: earlier
   * records are not read back.
   */
  @Override
  public String fingerprintVersion(FrameExtractionConfig config) {
    return "claims per group of pictures; frames carry scene score and sharpness; a frame belongs to the stretch"
        + " its history starts in";
  }
}
