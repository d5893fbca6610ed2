package io.reelset.stages.segmentation;

import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.Setting;
import io.reelset.stages.ImageConfig;
import io.reelset.stages.ModelFiles;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import java.io.Serializable;
import java.util.List;

/** The config of stage {@code segmentation}. */
public record SegmentationConfig(
    @Setting("ONNX model file; default models/isnet-medium.onnx, fetched if missing") String model,
    @Setting(value = "input, output and normalisation of a known model", choices = {"isnet", "anime_isnet"},
        defaultValue = "isnet") String preset,
    @Setting("the model's image input (overrides the preset)") String inputName,
    @Setting("the model's mask output (overrides the preset)") String outputName,
    @Setting(value = "the model's square input size", defaultValue = "1024", min = 32, max = 4096) int inputSize,
    @Setting("per channel (RGB, 0-255 scale), subtracted first (overrides the preset)") List<Double> mean,
    @Setting("per channel, divided by after the mean (overrides the preset)") List<Double> std,
    @Setting(value = "how a frame fits the input", choices = {"preset", "letterbox", "stretch"},
        defaultValue = "preset") String resize,
    @Setting(value = "mask confidence at or above which a pixel is a character", defaultValue = "0.5", min = 0,
        max = 1) double threshold,
    @Setting(value = "hysteresis: pixels down to this confidence join a character they touch (dark hair on a dark"
        + " background); at or above threshold: off", defaultValue = "0.5", min = 0, max = 1) double growThreshold,
    @Setting(value = "keep the mask's confidence as the crop's alpha", defaultValue = "false") boolean softMask,
    @Setting(value = "smallest character, as a share of the frame; smaller specks are dropped", defaultValue = "0.02",
        min = 0, max = 1) double minArea,
    @Setting(value = "holes inside a character up to this share of the frame are filled", defaultValue = "0.001",
        min = 0, max = 1) double maxHole,
    @Setting(value = "at most this many characters per frame, largest first", defaultValue = "4", min = 1, max = 100)
        int maxInstances,
    @Setting(value = "margin around each character, as a share of its box", defaultValue = "0.05", min = 0, max = 1)
        double padding,
    @Setting(value = "#RRGGBB to flatten crops on; empty keeps RGBA", defaultValue = "") String background,
    @Setting(value = "a frame without characters", choices = {"skip", "failure"}, defaultValue = "skip")
        String emptyFrame,
    @Setting(value = "frames per inference call", defaultValue = "4", min = 1, max = 256) int batchSize,
    @Setting(value = "ONNX Runtime intra-op threads; 0 lets it choose", defaultValue = "0", min = 0, max = 256)
        int threads,
    @Setting(value = "where inference runs: auto uses CUDA when possible", defaultValue = "auto")
        OnnxSegmenter.Device device,
    @Setting(value = "also write crops/ and masks/ PNGs under output_dir", defaultValue = "false") boolean save)
    implements ConfigChecks, Serializable {

  @Override
  public void check(ConfigRule.Checked problems) {
    ImageConfig.checkRgb(problems, "mean", mean, false);
    ImageConfig.checkRgb(problems, "std", std, true);
    ImageConfig.checkColour(problems, "background", background, "for RGBA crops");
  }

  /** The model file: the one given, or the default ISNet under {@code models/}. */
  String modelPath() {
    return model != null ? model : ModelFiles.defaultModel(ModelFiles.SEGMENTATION).toString();
  }

  /** The model's file, input, output and normalisation: the preset's, with what the config overrides. */
  SegmentationModel segmentationModel() {
    String path = modelPath();
    SegmentationModel preset = this.preset.equals("anime_isnet")
        ? SegmentationModel.animeIsnet(path) : SegmentationModel.isnet(path);
    return new SegmentationModel(path,
        inputName != null ? inputName : preset.inputName(),
        outputName != null ? outputName : preset.outputName(),
        inputSize, inputSize, ImageConfig.rgb(mean, preset.mean()), ImageConfig.rgb(std, preset.std()),
        resize.equals("preset") ? preset.letterbox() : resize.equals("letterbox"));
  }

  /** How a mask becomes crops. */
  CropSettings crops() {
    return new CropSettings((float) threshold, (float) growThreshold, softMask, minArea, maxHole, maxInstances, padding,
        ImageConfig.colour(background), emptyFrame.equals("failure"));
  }
}
