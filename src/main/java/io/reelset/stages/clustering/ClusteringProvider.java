package io.reelset.stages.clustering;

import io.reelset.compile.OutputFiles;
import io.reelset.compile.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.FieldType;
import io.reelset.spec.StageConfig;
import io.reelset.stages.ImageConfig;
import io.reelset.values.CharacterCrop;
import io.reelset.values.EmbeddedCrop;
import io.reelset.values.EmbeddedCropCoder;
import io.reelset.values.FailureCoder;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.vision.ModelException;
import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.PaletteEmbedder;
import io.reelset.vision.SegmentationModel;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.Clusterer;
import io.reelset.vision.cluster.MicroCluster;
import io.reelset.vision.cluster.MicroClusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Stage {@code clustering}: embeds every character crop (the built-in palette embedder, or any
 * ONNX image-embedding model), summarises the embeddings in a mergeable micro-cluster
 * {@link Combine}, clusters the summary (HDBSCAN, k-means or agglomerative) into a
 * {@link ClusterModel} and gives every crop an identity from it; optionally, crops are first
 * matched against named reference images. Writes {@code clusters.json}.
 */
public final class ClusteringProvider implements StageProvider {
  public static final String TYPE = "clustering";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "groups character crops by identity: embeddings, micro-clusters, HDBSCAN/k-means/agglomerative";
  }

  @Override
  public ConfigSchema configSchema() {
    return ConfigSchema.builder()
        .choice("embedder", "palette", "how a crop becomes a vector: colour design, or an ONNX model", "palette", "onnx")
        .optional("model", FieldType.STRING, null, "embedder onnx: the ONNX image-embedding model file")
        .optional("input_name", FieldType.STRING, "input", "embedder onnx: the model's image input")
        .optional("output_name", FieldType.STRING, "output", "embedder onnx: the output to read")
        .integer("input_size", 224, 16, 4096, "embedder onnx: the model's square input size")
        .list("mean", FieldType.NUMBER, "embedder onnx: per channel (RGB, 0-255), subtracted first; default CLIP's")
        .list("std", FieldType.NUMBER, "embedder onnx: per channel, divided by after the mean; default CLIP's")
        .choice("resize", "stretch", "embedder onnx: how a crop fits the input", "stretch", "letterbox")
        .choice("pooling", "none", "embedder onnx: how the output becomes one vector", "none", "mean", "cls", "max")
        .optional("normalize", FieldType.BOOLEAN, true, "embedder onnx: scale embeddings to unit length")
        .optional("background", FieldType.STRING, "#FFFFFF", "embedder onnx: #RRGGBB that transparent pixels become")
        .integer("batch_size", 16, 1, 1024, "embedder onnx: crops per inference call")
        .integer("threads", 0, 0, 256, "embedder onnx: ONNX Runtime intra-op threads; 0 lets it choose")
        .choice("device", "auto", "embedder onnx: where inference runs", "auto", "cpu", "cuda")
        .choice("method", "hdbscan", "the final clustering of the summary", "hdbscan", "kmeans", "agglomerative")
        .integer("min_cluster_size", 10, 2, 1_000_000, "the fewest crops an identity may have")
        .integer("min_samples", 3, 1, 1000, "hdbscan: the neighbourhood for core distances")
        .number("epsilon", 0.4, 0, 10, "hdbscan: clusters closer than this are one; noise this close joins them")
        .integer("k", 0, 0, 10_000, "kmeans: the number of identities (required for kmeans)")
        .number("distance_threshold", 0.6, 0, 10, "agglomerative: average-linkage distance at which merging stops")
        .integer("seed", 1, 0, Integer.MAX_VALUE, "kmeans: the seed of k-means++")
        .integer("max_micro_clusters", 256, 16, 8192, "the summary's size: memory stays flat however many crops")
        .number("micro_radius", 0.05, 0, 10, "crops this close start in one micro-cluster")
        .choice("scope", "all", "cluster all crops at once, or each video first and then merge", "all", "video")
        .optional("references", FieldType.OBJECT, null, "few-shot: {name: directory or glob of images of them}")
        .number("reference_threshold", 0.6, 0, 10, "a crop within this distance of a reference image takes its name")
        .choice("unmatched", "cluster", "crops no reference matches: cluster them, or call them noise", "cluster", "noise")
        .integer("exemplars", 5, 1, 100, "crop keys per identity in clusters.json, nearest the centre first")
        .rule(ClusteringProvider::checkCombinations)
        .rule(ImageConfig.rule(List.of("mean", "std"), java.util.Collections.singletonMap("background", null)))
        .build();
  }

  @Override
  public List<String> inputKinds() {
    return List.of(CharacterCrop.class.getSimpleName());
  }

  @Override
  public String outputKind() {
    return IdentityAssignment.class.getSimpleName();
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("clusters", WriteReportFn.FILE);
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context) {
    StageConfig config = context.config();
    String stageId = context.stageId();
    CropEmbedder embedder = embedder(config, stageId);
    ClusterSettings settings = settings(config, stageId);
    ReferenceImages references = config.has("references")
        ? ReferenceImages.load(references(config.get("references"), stageId), stageId) : ReferenceImages.none();
    int capacity = config.getInt("max_micro_clusters");
    double radius = config.getDouble("micro_radius");

    PCollectionTuple embedded = inputs.merged(CharacterCrop.class)
        .apply("Embed", ParDo.of(new EmbedCropsFn(stageId, embedder,
                embedder.batches() ? config.getInt("batch_size") : 1, references,
                config.getDouble("reference_threshold"), config.getString("unmatched").equals("noise"),
                context.checkpoints()).retrying(Retry.of(context)))
            .withOutputTags(EmbedCropsFn.EMBEDDED, TupleTagList.of(List.of(EmbedCropsFn.ASSIGNED,
                EmbedCropsFn.FAILURES))));
    PCollection<EmbeddedCrop> toCluster = embedded.get(EmbedCropsFn.EMBEDDED).setCoder(EmbeddedCropCoder.of());
    PCollection<IdentityAssignment> matched =
        embedded.get(EmbedCropsFn.ASSIGNED).setCoder(IdentityAssignmentCoder.of());

    PCollection<MicroClusters> summary;
    if (config.getString("scope").equals("video")) {
      summary = toCluster
          .apply("KeyByVideo", WithKeys.of((EmbeddedCrop c) -> c.crop().videoKey())
              .withKeyType(TypeDescriptor.of(String.class)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), EmbeddedCropCoder.of()))
          .apply("SummarisePerVideo", Combine.perKey(new MicroClusterFn(capacity, radius)))
          .apply("ClusterPerVideo", MapElements.into(TypeDescriptor.of(MicroClusters.class))
              .via((KV<String, MicroClusters> kv) -> perVideo(kv.getValue(), settings, capacity, radius)))
          .setCoder(MicroClusterFn.SummaryCoder.INSTANCE)
          .apply("MergeVideos", Combine.globally(new MicroClusterFn.Merge(capacity, radius)));
    } else {
      summary = toCluster.apply("Summarise", Combine.globally(new MicroClusterFn(capacity, radius)));
    }
    PCollectionView<ClusterModel> model = summary
        .apply("Cluster", MapElements.into(TypeDescriptor.of(ClusterModel.class))
            .via((MicroClusters s) -> ClusterModel.build(s, settings)))
        .setCoder(new ClusterModelCoder())
        .apply("Model", View.asSingleton());

    PCollection<IdentityAssignment> clustered = toCluster
        .apply("Assign", ParDo.of(new AssignIdentitiesFn(model)).withSideInputs(model))
        .setCoder(IdentityAssignmentCoder.of());
    PCollection<IdentityAssignment> all = PCollectionList.of(clustered).and(matched)
        .apply("AllAssignments", Flatten.pCollections())
        .setCoder(IdentityAssignmentCoder.of());

    Map<String, Object> header = new LinkedHashMap<>();
    header.put("stage", stageId);
    header.put("embedder", embedder.describe());
    header.put("method", config.getString("method"));
    header.put("scope", config.getString("scope"));
    header.put("references", references.byName().keySet().stream().toList());
    all.apply("Report", Combine.globally(new ClusterReportFn(header, config.getInt("exemplars"))))
        .apply("WriteReport", ParDo.of(new WriteReportFn(stageId, context.outputDir())));
    return new StageResult(all, embedded.get(EmbedCropsFn.FAILURES).setCoder(FailureCoder.of()));
  }

  /** A video's clusters as one micro-cluster each, its noise as it was: the input of the global merge. */
  static MicroClusters perVideo(MicroClusters video, ClusterSettings settings, int capacity, double radius) {
    List<MicroCluster> sorted = video.sorted();
    int[] labels = Clusterer.cluster(sorted, settings);
    return MicroClusters.grouped(sorted, labels, capacity, radius);
  }

  /** How many identities the crops fell into, from clusters.json; none is said loudly. */
  @Override
  public Summary summary(StageContext context) {
    try {
      com.fasterxml.jackson.databind.JsonNode r = OutputFiles.readJson(context.outputDir(), "clusters.json");
      long identities = r.path("identities").asLong();
      String line = String.format(Locale.ROOT, "%s: %d crops in %s, %d noise; %s/clusters.json", context.stageId(),
          r.path("crops").asLong(), Summary.count(identities, "identity", "identities"), r.path("noise").asLong(),
          context.outputDir());
      if (identities == 0) {
        return new Summary(List.of(line, context.stageId() + ": NO IDENTITY WAS FOUND: every crop is noise or"
            + " there were none; lower min_cluster_size (now " + context.config().getInt("min_cluster_size")
            + "), or sample more frames"), true);
      }
      return new Summary(List.of(line), false);
    } catch (java.io.IOException | RuntimeException e) {
      return Summary.NONE;
    }
  }

  /** The rules between fields, checked with the file (and again in {@link #expand} for Java callers). */
  static void checkCombinations(ConfigRule.Checked checked) {
    StageConfig config = checked.values();
    String problem = kmeansProblem(config);
    if (problem != null) {
      checked.problem("k", problem);
    }
    problem = modelProblem(config);
    if (problem != null) {
      checked.problem("model", problem);
    }
    if (checked.written("references")) {
      problem = referencesProblem(config.get("references"));
      if (problem != null) {
        checked.problem("references", problem);
      }
    }
  }

  private static String kmeansProblem(StageConfig config) {
    return config.getString("method").equals("kmeans") && config.getInt("k") < 1
        ? "method kmeans needs k, the number of identities (an integer of at least 1)" : null;
  }

  private static String modelProblem(StageConfig config) {
    boolean palette = config.getString("embedder").equals("palette");
    if (palette && config.has("model")) {
      return "is only used with embedder: onnx (the palette embedder needs no model)";
    }
    if (!palette && !config.has("model")) {
      return "embedder onnx needs model, the path of an ONNX image-embedding model (see the README for CCIP and CLIP)";
    }
    return null;
  }

  private static String referencesProblem(Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      return "expected a mapping of name: directory or glob, got " + value;
    }
    return map.isEmpty() ? "name at least one reference (name: directory or glob), or leave references out" : null;
  }

  static ClusterSettings settings(StageConfig config, String stageId) {
    ClusterSettings.Method method = ClusterSettings.Method.valueOf(config.getString("method").toUpperCase(Locale.ROOT));
    int k = config.getInt("k");
    String problem = kmeansProblem(config);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config.k: " + problem);
    }
    return new ClusterSettings(method, config.getInt("min_cluster_size"), config.getInt("min_samples"), k,
        config.getDouble("distance_threshold"), config.getDouble("epsilon"), config.getLong("seed"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> references(Object value, String stageId) {
    String problem = referencesProblem(value);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config.references: " + problem);
    }
    return (Map<String, Object>) value;
  }

  @Override
  public List<String> fingerprintFiles(StageConfig config) {
    return config.has("model") ? List.of(config.getString("model")) : List.of();
  }

  /** The built-in palette embedder's parameters: embeddings of another layout are not read back. */
  @Override
  public String fingerprintVersion(StageConfig config) {
    return config.getString("embedder").equals("palette") ? PaletteEmbedder.standard().toString() : "";
  }

  static CropEmbedder embedder(StageConfig config, String stageId) {
    String problem = modelProblem(config);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config.model: " + problem);
    }
    if (config.getString("embedder").equals("palette")) {
      return CropEmbedder.palette(PaletteEmbedder.standard());
    }
    int size = config.getInt("input_size");
    float[] mean = ImageConfig.rgb(config, "mean", new float[] {122.7709f, 116.7460f, 104.0937f}, stageId);
    float[] std = ImageConfig.rgb(config, "std", new float[] {68.5005f, 66.6322f, 70.3232f}, stageId);
    SegmentationModel io = new SegmentationModel(config.getString("model"), config.getString("input_name"),
        config.getString("output_name"), size, size, mean, std, config.getString("resize").equals("letterbox"));
    OnnxEmbedder.Settings settings = new OnnxEmbedder.Settings(io,
        OnnxEmbedder.Pooling.valueOf(config.getString("pooling").toUpperCase(Locale.ROOT)),
        config.getBoolean("normalize"), ImageConfig.colour(config, "background", stageId, null));
    OnnxSegmenter.Device device = OnnxSegmenter.Device.valueOf(config.getString("device").toUpperCase(Locale.ROOT));
    int threads = config.getInt("threads");
    try (OnnxEmbedder check = OnnxEmbedder.open(settings, device, threads)) {
      // opened once here so that a wrong model fails before the pipeline starts
    } catch (ModelException e) {
      throw new IllegalArgumentException("stage '" + stageId + "': config.model: " + e.getMessage(), e);
    } catch (Exception e) {
      throw new IllegalArgumentException("stage '" + stageId + "': cannot close the model check", e);
    }
    return CropEmbedder.onnx(settings, device, threads);
  }
}
