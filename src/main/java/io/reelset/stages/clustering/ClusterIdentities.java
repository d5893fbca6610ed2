package io.reelset.stages.clustering;

import io.reelset.values.EmbeddedCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Identities for embedded crops ({@link EmbedCrops}' output): a micro-cluster summary that does not
 * depend on the runner's order ({@link Summarise}), clustered into a {@link ClusterModel}
 * that every crop is assigned from; with the crops the references named, they are the output, and
 * {@code clusters.json} is written under {@code outputDir}.
 */
final class ClusterIdentities extends PTransform<PCollectionTuple, PCollection<IdentityAssignment>> {
  private static final long serialVersionUID = 1L;

  private final String stageId;
  private final ClusteringConfig config;
  private final Map<String, Object> header;
  private final String outputDir;

  ClusterIdentities(String stageId, ClusteringConfig config, String embedder, List<String> references,
      String outputDir) {
    this.stageId = stageId;
    this.config = config;
    this.outputDir = outputDir;
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("stage", stageId);
    header.put("embedder", embedder);
    header.put("method", config.method().name().toLowerCase(java.util.Locale.ROOT));
    header.put("scope", config.scope());
    header.put("references", List.copyOf(references));
    ClusteringConfig.TrackConfig tracks = config.tracks();
    Map<String, Object> linking = new LinkedHashMap<>();
    linking.put("max_gap_s", tracks.maxGapS());
    linking.put("min_overlap", tracks.minOverlap());
    linking.put("max_distance", tracks.maxDistance());
    header.put("tracks", tracks.enabled() ? linking : false);
    this.header = header;
  }

  @Override
  public PCollection<IdentityAssignment> expand(PCollectionTuple embedded) {
    ClusterSettings settings = config.settings();
    int capacity = config.maxMicroClusters();
    double radius = config.microRadius();
    PCollection<EmbeddedCrop> toCluster = embedded.get(EmbedCropsFn.EMBEDDED);
    PCollection<MicroClusters> summary = toCluster.apply("Summarise",
        new Summarise(capacity, radius, config.scope().equals("video") ? settings : null));
    PCollectionView<ClusterModel> model = summary
        .apply("Cluster", MapElements.into(TypeDescriptor.of(ClusterModel.class))
            .via((MicroClusters s) -> ClusterModel.build(s, settings)))
        .setCoder(new ClusterModelCoder())
        // no crops, no summary: an empty model, every later crop noise
        .apply("Model", View.<ClusterModel>asSingleton()
            .withDefaultValue(ClusterModel.build(new MicroClusters(capacity, radius), settings)));

    PCollection<IdentityAssignment> clustered = toCluster
        .apply("Assign", ParDo.of(new AssignIdentitiesFn(model)).withSideInputs(model))
        .setCoder(IdentityAssignmentCoder.of());
    if (config.tracks().enabled()) {
      // the crops of a track are one character: they take the identity most of them have
      clustered = clustered.apply("Tracks", new LinkTracks(stageId, config.tracks().settings(), model));
    }
    PCollection<IdentityAssignment> all = PCollectionList.of(clustered).and(embedded.get(EmbedCropsFn.ASSIGNED))
        .apply("AllAssignments", Flatten.pCollections())
        .setCoder(IdentityAssignmentCoder.of());
    all.apply("Report", Combine.globally(new ClusterReportFn(header, config.exemplars())))
        .apply("WriteReport", ParDo.of(new WriteReportFn(stageId, outputDir)));
    return all;
  }
}
