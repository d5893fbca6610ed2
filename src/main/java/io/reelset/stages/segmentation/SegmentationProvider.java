package io.reelset.stages.segmentation;

import io.reelset.compile.Preflight;
import io.reelset.compile.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.FieldType;
import io.reelset.spec.StageConfig;
import io.reelset.stages.ImageConfig;
import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.values.FailureCoder;
import io.reelset.values.Frame;
import io.reelset.vision.ModelException;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stage {@code segmentation}: cuts every character out of every frame with an ONNX segmentation
 * model (ISNet by default, fetched on first use), in micro-batches, on CPU or CUDA.
 *
 * <p>The model is checked before the pipeline starts: a missing file, one ONNX Runtime cannot
 * load, or one without the configured input and output is a configuration error.
 */
public final class SegmentationProvider implements StageProvider {
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
  public ConfigSchema configSchema() {
    return ConfigSchema.builder()
        .optional("model", FieldType.STRING, null, "ONNX model file; default models/isnet-medium.onnx, fetched if missing")
        .choice("preset", "isnet", "input, output and normalisation of a known model", "isnet", "anime_isnet")
        .optional("input_name", FieldType.STRING, null, "the model's image input (overrides the preset)")
        .optional("output_name", FieldType.STRING, null, "the model's mask output (overrides the preset)")
        .integer("input_size", 1024, 32, 4096, "the model's square input size")
        .list("mean", FieldType.NUMBER, "per channel (RGB, 0-255 scale), subtracted first (overrides the preset)")
        .list("std", FieldType.NUMBER, "per channel, divided by after the mean (overrides the preset)")
        .choice("resize", "preset", "how a frame fits the input", "preset", "letterbox", "stretch")
        .number("threshold", 0.5, 0, 1, "mask confidence at or above which a pixel is a character")
        .optional("soft_mask", FieldType.BOOLEAN, false, "keep the mask's confidence as the crop's alpha")
        .number("min_area", 0.02, 0, 1, "smallest character, as a share of the frame; smaller specks are dropped")
        .number("max_hole", 0.001, 0, 1, "holes inside a character up to this share of the frame are filled")
        .integer("max_instances", 4, 1, 100, "at most this many characters per frame, largest first")
        .number("padding", 0.05, 0, 1, "margin around each character, as a share of its box")
        .optional("background", FieldType.STRING, "", "#RRGGBB to flatten crops on; empty keeps RGBA")
        .choice("empty_frame", "skip", "a frame without characters", "skip", "failure")
        .integer("batch_size", 4, 1, 256, "frames per inference call")
        .integer("threads", 0, 0, 256, "ONNX Runtime intra-op threads; 0 lets it choose")
        .choice("device", "auto", "where inference runs: auto uses CUDA when possible", "auto", "cpu", "cuda")
        .optional("save", FieldType.BOOLEAN, false, "also write crops/ and masks/ PNGs under output_dir")
        .rule(ImageConfig.rule(List.of("mean", "std"), Map.of("background", "for RGBA crops")))
        .build();
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
  public StageResult expand(StageInputs inputs, StageContext context) {
    StageConfig config = context.config();
    SegmentationModel model = model(config, context.stageId());
    OnnxSegmenter.Device device = OnnxSegmenter.Device.valueOf(config.getString("device").toUpperCase(Locale.ROOT));
    int threads = config.getInt("threads");
    try (OnnxSegmenter check = OnnxSegmenter.open(model, device, threads)) {
      // opened once here so that a wrong model fails before the pipeline starts
    } catch (ModelException e) {
      throw new IllegalArgumentException("stage '" + context.stageId() + "': config.model: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalArgumentException("stage '" + context.stageId() + "': cannot close the model check", e);
    }
    CropSettings crops = new CropSettings((float) config.getDouble("threshold"), config.getBoolean("soft_mask"),
        config.getDouble("min_area"), config.getDouble("max_hole"), config.getInt("max_instances"),
        config.getDouble("padding"), ImageConfig.colour(config, "background", context.stageId(), "for RGBA crops"),
        config.getString("empty_frame").equals("failure"));
    PCollectionTuple out = inputs.merged(Frame.class)
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("Segment", ParDo.of(new SegmentCharactersFn(context.stageId(), model, device, threads,
                config.getInt("batch_size"), crops, config.getBoolean("save") ? context.outputDir() : null,
                context.checkpoints()).retrying(Retry.of(context)))
            .withOutputTags(SegmentCharactersFn.CROPS, TupleTagList.of(SegmentCharactersFn.FAILURES)));
    return new StageResult(out.get(SegmentCharactersFn.CROPS).setCoder(CharacterCropCoder.of()),
        out.get(SegmentCharactersFn.FAILURES).setCoder(FailureCoder.of()));
  }

  @Override
  public void preflight(StageContext context, Preflight checks) {
    // crops are a part of each frame: about half the frames' bytes, twice with save (masks, crops)
    checks.addEstimate(checks.inputBytes() / (context.config().getBoolean("save") ? 1 : 2));
  }

  @Override
  public List<String> fingerprintFiles(StageConfig config) {
    return List.of(model(config, "").path());
  }

  static SegmentationModel model(StageConfig config, String stageId) {
    String path = config.has("model") ? config.getString("model") : ModelFiles.defaultModel().toString();
    SegmentationModel preset = config.getString("preset").equals("anime_isnet")
        ? SegmentationModel.animeIsnet(path) : SegmentationModel.isnet(path);
    int size = config.getInt("input_size");
    float[] mean = ImageConfig.rgb(config, "mean", preset.mean(), stageId);
    float[] std = ImageConfig.rgb(config, "std", preset.std(), stageId);
    String resize = config.getString("resize");
    return new SegmentationModel(path,
        config.has("input_name") ? config.getString("input_name") : preset.inputName(),
        config.has("output_name") ? config.getString("output_name") : preset.outputName(),
        size, size, mean, std, resize.equals("preset") ? preset.letterbox() : resize.equals("letterbox"));
  }
}
