package io.reelset.stages.clustering;

import io.reelset.kit.OutputFiles;
import io.reelset.kit.Preflight;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.values.CharacterCrop;
import io.reelset.values.Failure;
import io.reelset.values.IdentityAssignment;
import io.reelset.stages.ModelFiles;
import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.PaletteEmbedder;
import io.reelset.vision.cluster.ClusterSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Stage {@code clustering}: embeds every character crop (the built-in palette embedder, or any
 * ONNX image-embedding model), summarises the embeddings in a mergeable micro-cluster
 * {@link Combine}, clusters the summary (HDBSCAN, k-means or agglomerative) into a
 * {@link ClusterModel} and gives every crop an identity from it; optionally, crops are first
 * matched against named reference images. Writes {@code clusters.json}.
 */
public final class ClusteringProvider implements StageProvider<ClusteringConfig> {
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
  public Class<ClusteringConfig> configType() {
    return ClusteringConfig.class;
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
  public StageResult expand(StageInputs inputs, StageContext context, ClusteringConfig config) {
    CropEmbedder embedder = embedder(config);
    ReferenceImages references = config.references() != null
        ? ReferenceImages.load(config.references(), context.stageId()) : ReferenceImages.none();
    WithFailures.Result<PCollectionTuple, Failure> embedded = inputs.merged(CharacterCrop.class)
        .apply("Embed", EmbedCrops.of(config, embedder, references, context));
    PCollection<IdentityAssignment> identities = embedded.output().apply("Identities", new ClusterIdentities(
        context.stageId(), config, embedder.describe(), references.byName().keySet().stream().toList(),
        context.outputDir()));
    return new StageResult(identities, embedded.failures());
  }

  /** How many identities the crops fell into, from clusters.json; none is said loudly. */
  @Override
  public Summary summary(StageContext context, ClusteringConfig config) {
    try {
      com.fasterxml.jackson.databind.JsonNode r = OutputFiles.readJson(context.outputDir(), "clusters.json");
      long identities = r.path("identities").asLong();
      String line = String.format(Locale.ROOT, "%s: %d crops in %s, %d noise; %s/clusters.json", context.stageId(),
          r.path("crops").asLong(), Summary.count(identities, "identity", "identities"), r.path("noise").asLong(),
          context.outputDir());
      if (identities == 0) {
        return new Summary(List.of(line, context.stageId() + ": NO IDENTITY WAS FOUND: every crop is noise or"
            + " there were none; lower min_cluster_size (now " + ("auto".equals(config.minClusterSize())
                ? "auto, " + ClusterSettings.autoSize(r.path("crops").asLong()) + " for " + r.path("crops").asLong()
                + " crops" : config.minClusterSize())
            + "), or sample more frames"), true);
      }
      return new Summary(List.of(line, context.stageId() + ": to name, merge or drop them: "
          + context.outputDir() + "/" + IdentitiesTemplate.FILE), false);
    } catch (java.io.IOException | RuntimeException e) {
      return Summary.NONE;
    }
  }

  @Override
  public List<String> fingerprintFiles(ClusteringConfig config) {
    return config.palette() ? List.of() : List.of(config.modelPath());
  }

  /** The built-in palette embedder's parameters: embeddings of another layout are not read back. */
  @Override
  public String fingerprintVersion(ClusteringConfig config) {
    return config.palette() || config.embedder().equals("palette+cnn") ? PaletteEmbedder.standard().toString() : "";
  }

  /** The crop embedder of {@code config}. */
  static CropEmbedder embedder(ClusteringConfig config) {
    if (config.palette()) {
      return CropEmbedder.palette(PaletteEmbedder.standard());
    }
    return config.embedder().equals("palette+cnn")
        ? CropEmbedder.combined(PaletteEmbedder.standard(), config.onnx(), config.cnnWeight(), config.device(),
            config.threads())
        : CropEmbedder.onnx(config.onnx(), config.device(), config.threads());
  }

  /** An ONNX embedder's model (the CNN's, fetched if missing) loads, with the configured input and output. */
  @Override
  public void preflight(StageContext context, ClusteringConfig config, Preflight checks) {
    if (!config.palette()) {
      ModelFiles.checkLoads(context.stageId(), checks,
          () -> OnnxEmbedder.open(config.onnx(), config.device(), config.threads()));
    }
  }
}
