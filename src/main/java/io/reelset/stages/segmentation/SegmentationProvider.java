package io.reelset.stages.segmentation;

import io.reelset.kit.Preflight;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.values.CharacterCrop;
import io.reelset.values.Frame;
import io.reelset.stages.ModelFiles;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.util.List;

/**
 * Stage {@code segmentation}: cuts every character out of every frame with an ONNX segmentation
 * model (ISNet by default, fetched on first use), in micro-batches, on CPU or CUDA.
 *
 * <p>The model is checked before the pipeline starts: a missing file, one ONNX Runtime cannot
 * load, or one without the configured input and output is a configuration error.
 */
public final class SegmentationProvider implements StageProvider<SegmentationConfig> {
  public static final String TYPE = "segmentation";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "cuts each character out of a frame with an ONNX segmentation model (ISNet by default)";
  }

  @Override
  public Class<SegmentationConfig> configType() {
    return SegmentationConfig.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of(Frame.class.getSimpleName());
  }

  @Override
  public String outputKind() {
    return CharacterCrop.class.getSimpleName();
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, SegmentationConfig config) {
    return StageResult.of(inputs.merged(Frame.class).apply("Segment", SegmentCharacters.of(config, context)));
  }

  @Override
  public void preflight(StageContext context, SegmentationConfig config, Preflight checks) {
    // crops are a part of each frame: about half the frames' bytes, twice with save (masks, crops)
    checks.addEstimate(checks.inputBytes() / (config.save() ? 1 : 2));
    // the model (the default one fetched when it is missing) loads, with the configured input and output
    ModelFiles.checkLoads(context.stageId(), checks,
        () -> OnnxSegmenter.open(config.segmentationModel(), config.device(), config.threads()));
  }

  @Override
  public List<String> fingerprintFiles(SegmentationConfig config) {
    return List.of(config.modelPath());
  }
}
