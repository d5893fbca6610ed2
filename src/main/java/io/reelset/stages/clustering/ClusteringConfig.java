package io.reelset.stages.clustering;

import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.Setting;
import io.reelset.stages.ImageConfig;
import io.reelset.stages.ModelFiles;
import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.SegmentationModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.Tracks;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The config of stage {@code clustering}. */
public record ClusteringConfig(
    @Setting(value = "how a crop becomes a vector: colour design, the built-in CNN (MobileNetV2 features), both"
        + " together, deepghs' CCIP anime character model (downloaded by you), or an ONNX model of yours",
        choices = {"palette", "cnn", "palette+cnn", "ccip", "onnx"}, defaultValue = "palette") String embedder,
    @Setting(value = "embedder palette+cnn: the CNN's share of the squared distance", defaultValue = "0.25", min = 0,
        max = 1) double cnnWeight,
    @Setting("embedder onnx: the ONNX image-embedding model file; embedder ccip: the CCIP feature model"
        + " (ccip-caformer-5_fp32_feat.onnx); embedder cnn: default models/mobilenet-v2-features.onnx, fetched if"
        + " missing") String model,
    @Setting(value = "embedder onnx: the model's image input", defaultValue = "input") String inputName,
    @Setting(value = "embedder onnx: the output to read", defaultValue = "output") String outputName,
    @Setting(value = "embedder onnx: the model's square input size", defaultValue = "224", min = 16, max = 4096)
        int inputSize,
    @Setting("embedder onnx: per channel (RGB, 0-255), subtracted first; default CLIP's") List<Double> mean,
    @Setting("embedder onnx: per channel, divided by after the mean; default CLIP's") List<Double> std,
    @Setting(value = "embedder onnx: how a crop fits the input", choices = {"stretch", "letterbox"},
        defaultValue = "stretch") String resize,
    @Setting(value = "embedder onnx: how the output becomes one vector", defaultValue = "none")
        OnnxEmbedder.Pooling pooling,
    @Setting(value = "embedder onnx: scale embeddings to unit length", defaultValue = "true") boolean normalize,
    @Setting(value = "embedder onnx: #RRGGBB that transparent pixels become", defaultValue = "#FFFFFF")
        String background,
    @Setting(value = "embedder onnx: crops per inference call", defaultValue = "16", min = 1, max = 1024)
        int batchSize,
    @Setting(value = "embedder onnx: ONNX Runtime intra-op threads; 0 lets it choose", defaultValue = "0", min = 0,
        max = 256) int threads,
    @Setting(value = "embedder onnx: where inference runs", defaultValue = "auto") OnnxSegmenter.Device device,
    @Setting(value = "the final clustering of the summary", defaultValue = "hdbscan") ClusterSettings.Method method,
    @Setting(value = "the fewest crops an identity may have: a number, or auto (a 25th of the crops, from 3 to 10)",
        defaultValue = "auto") Object minClusterSize,
    @Setting(value = "hdbscan: the neighbourhood for core distances", defaultValue = "3", min = 1, max = 1000)
        int minSamples,
    @Setting(value = "hdbscan: clusters closer than this are one; noise this close joins them", defaultValue = "0.4",
        min = 0, max = 10) double epsilon,
    @Setting(value = "kmeans: the number of identities (required for kmeans)", defaultValue = "0", min = 0,
        max = 10_000) int k,
    @Setting(value = "agglomerative: average-linkage distance at which merging stops", defaultValue = "0.6", min = 0,
        max = 10) double distanceThreshold,
    @Setting(value = "kmeans: the seed of k-means++", defaultValue = "1", min = 0, max = Integer.MAX_VALUE) long seed,
    @Setting(value = "the summary's size: memory stays flat however many crops", defaultValue = "256", min = 16,
        max = 8192) int maxMicroClusters,
    @Setting(value = "crops this close start in one micro-cluster", defaultValue = "0.05", min = 0, max = 10)
        double microRadius,
    @Setting(value = "cluster all crops at once, or each video first and then merge", choices = {"all", "video"},
        defaultValue = "all") String scope,
    @Setting("shot-aware tracks: crops of consecutive frames linked by box overlap and likeness; a track is"
        + " clustered as one, every crop taking its track's identity") TrackConfig tracks,
    @Setting("few-shot: {name: directory or glob of images of them}") Map<String, Object> references,
    @Setting(value = "a crop within this distance of a reference image takes its name", defaultValue = "0.6", min = 0,
        max = 10) double referenceThreshold,
    @Setting(value = "crops no reference matches: cluster them, or call them noise", choices = {"cluster", "noise"},
        defaultValue = "cluster") String unmatched,
    @Setting(value = "crop keys per identity in clusters.json, nearest the centre first", defaultValue = "5", min = 1,
        max = 100) int exemplars) implements ConfigChecks, Serializable {

  /** The config of shot-aware tracks. */
  public record TrackConfig(
      @Setting(value = "link crops into tracks", defaultValue = "true") boolean enabled,
      @Setting(value = "frames further apart than this, in seconds, are never linked", defaultValue = "2.5",
          min = 0, max = 3600) double maxGapS,
      @Setting(value = "the least overlap (intersection over union) of two linked boxes", defaultValue = "0.5",
          min = 0, max = 1) double minOverlap,
      @Setting(value = "the greatest embedding distance between two linked crops", defaultValue = "1.0", min = 0,
          max = 10) double maxDistance) implements Serializable {

    Tracks.Settings settings() {
      return new Tracks.Settings(Math.round(maxGapS * 1000), minOverlap, maxDistance);
    }
  }

  /**
   * The built-in CNN: MobileNetV2-1.4's pooled ImageNet features (1,792 numbers), converted from
   * npm nsfwjs at fetch time; the crop stretched to 224x224, RGB in [0, 1].
   */
  static final String CNN_OUTPUT = "features";
  static final int CNN_SIZE = 224;
  /**
   * deepghs' CCIP feature model as imgutils runs it ({@code get_ccip_features}): the crop on white,
   * stretched to 384x384 (bilinear), RGB scaled to [0, 1] and normalised with CLIP's mean and std,
   * NCHW into {@code input}; {@code output} is one feature vector per crop.
   */
  static final int CCIP_SIZE = 384;

  /** CLIP's per-channel mean and std on a 0-255 scale: the default normalisation of an ONNX embedder. */
  private static final float[] CLIP_MEAN = {122.7709f, 116.7460f, 104.0937f};
  private static final float[] CLIP_STD = {68.5005f, 66.6322f, 70.3232f};

  @Override
  public void check(ConfigRule.Checked problems) {
    if (!("auto".equals(minClusterSize) || minClusterSize instanceof Long n && n >= 2 && n <= 1_000_000)) {
      problems.problem("min_cluster_size", "expected auto or a whole number from 2 to 1000000, got " + minClusterSize);
    }
    if (method == ClusterSettings.Method.KMEANS && k < 1) {
      problems.problem("k", "method kmeans needs k, the number of identities (an integer of at least 1)");
    }
    if (palette() && model != null) {
      problems.problem("model", "is only used with embedder: onnx (the palette embedder needs no model)");
    }
    if (embedder.equals("onnx") && model == null) {
      problems.problem("model", "embedder onnx needs model, the path of an ONNX image-embedding model (see the README"
          + " for CCIP and CLIP)");
    }
    if (embedder.equals("ccip") && model == null) {
      problems.problem("model", "embedder ccip needs model, the path of the CCIP feature model you downloaded"
          + " (ccip-caformer-5_fp32_feat.onnx from deepghs/imgutils-models on Hugging Face; see the README)");
    }
    if (problems.written("references") && references != null && references.isEmpty()) {
      problems.problem("references", "name at least one reference (name: directory or glob), or leave references out");
    }
    ImageConfig.checkRgb(problems, "mean", mean, false);
    ImageConfig.checkRgb(problems, "std", std, true);
    ImageConfig.checkColour(problems, "background", background, null);
  }

  /** The palette alone: no model. */
  boolean palette() {
    return embedder.equals("palette");
  }

  /** The built-in CNN, alone or with the palette. */
  boolean cnn() {
    return embedder.equals("cnn") || embedder.equals("palette+cnn");
  }

  ClusterSettings settings() {
    int size = "auto".equals(minClusterSize) ? ClusterSettings.AUTO : ((Number) minClusterSize).intValue();
    return new ClusterSettings(method, size, minSamples, k, distanceThreshold, epsilon, seed);
  }

  /** The model file of an ONNX embedder: the one given, or for {@code embedder: cnn} the default. */
  String modelPath() {
    return model != null || palette() ? model : ModelFiles.defaultModel(ModelFiles.CNN).toString();
  }

  /**
   * The ONNX embedder's model, input, output and normalisation: the built-in CNN's for
   * {@code embedder: cnn} and {@code palette+cnn}, CCIP's for {@code ccip} (the fields of an onnx
   * embedder do not apply), else the fields'.
   */
  OnnxEmbedder.Settings onnx() {
    if (cnn()) {
      SegmentationModel io = new SegmentationModel(modelPath(), "input", CNN_OUTPUT, CNN_SIZE, CNN_SIZE,
          new float[] {0, 0, 0}, new float[] {255, 255, 255}, false);
      return new OnnxEmbedder.Settings(io, OnnxEmbedder.Pooling.NONE, normalize, ImageConfig.colour(background));
    }
    if (embedder.equals("ccip")) {
      SegmentationModel io = new SegmentationModel(model, "input", "output", CCIP_SIZE, CCIP_SIZE, CLIP_MEAN.clone(),
          CLIP_STD.clone(), false);
      return new OnnxEmbedder.Settings(io, OnnxEmbedder.Pooling.NONE, normalize, ImageConfig.colour(background));
    }
    SegmentationModel io = new SegmentationModel(model, inputName, outputName, inputSize, inputSize,
        ImageConfig.rgb(mean, CLIP_MEAN), ImageConfig.rgb(std, CLIP_STD), resize.equals("letterbox"));
    return new OnnxEmbedder.Settings(io, pooling, normalize, ImageConfig.colour(background));
  }
}
