package io.reelset.stages.clustering;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.ResumableBatchFn;
import io.reelset.kit.StageMetrics;
import io.reelset.values.CharacterCrop;
import io.reelset.values.EmbeddedCrop;
import io.reelset.values.Failure;
import io.reelset.values.IdentityAssignment;
import io.reelset.vision.ModelException;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ByteArrayCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.values.TupleTag;

/**
 * Embeds crops in micro-batches, resumably ({@link ResumableBatchFn}: the embedding is recorded).
 * With references, a crop nearer than the threshold to a reference image takes that reference's
 * name at once; the rest go on to clustering (or become noise, with {@code unmatched: noise}). A
 * crop that cannot be embedded is a {@link Failure}.
 */
final class EmbedCropsFn extends ResumableBatchFn<CharacterCrop, EmbeddedCrop, byte[], float[], byte[]> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<EmbeddedCrop> EMBEDDED = new TupleTag<>() {};
  static final TupleTag<IdentityAssignment> ASSIGNED = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final CropEmbedder embedder;
  private final ReferenceImages references;
  private final double referenceThreshold;
  private final boolean unmatchedIsNoise;
  private final Counter embedded;
  private final Counter matched;

  private transient Map<String, List<float[]>> referenceVectors;

  EmbedCropsFn(String stageId, CropEmbedder embedder, int batchSize, ReferenceImages references,
      double referenceThreshold, boolean unmatchedIsNoise, Checkpoints checkpoints) {
    super(stageId, batchSize, checkpoints, ByteArrayCoder.of(), FAILURES);
    this.embedder = embedder;
    this.references = references;
    this.referenceThreshold = referenceThreshold;
    this.unmatchedIsNoise = unmatchedIsNoise;
    String namespace = StageMetrics.namespace(stageId);
    this.embedded = Metrics.counter(namespace, "crops_embedded");
    this.matched = Metrics.counter(namespace, "crops_matched_to_references");
  }

  @Setup
  public void setup() throws Exception {
    embedder.open();
    referenceVectors = new LinkedHashMap<>();
    for (Map.Entry<String, List<ReferenceImages.Image>> entry : references.byName().entrySet()) {
      List<byte[]> bytes = new ArrayList<>();
      for (ReferenceImages.Image image : entry.getValue()) {
        bytes.add(image.bytes());
      }
      referenceVectors.put(entry.getKey(), embedder.embed(bytes));
    }
  }

  @Teardown
  public void teardown() {
    embedder.close();
  }

  @Override
  protected String key(CharacterCrop crop) {
    return crop.key();
  }

  @Override
  protected byte[] prepare(CharacterCrop crop) {
    return crop.png();
  }

  @Override
  protected List<float[]> infer(List<byte[]> images) throws Exception {
    return embedder.embed(images);
  }

  @Override
  protected String prepareFailure() {
    return "cannot embed this crop";
  }

  @Override
  protected String processFailure() {
    return "cannot embed this crop";
  }

  /** One embedding per record: a record of another layout is computed again. */
  @Override
  protected boolean complete(List<byte[]> recorded) {
    return recorded.size() == 1;
  }

  @Override
  protected List<byte[]> finish(Pending<CharacterCrop> pending, byte[] image, float[] vector, Emitter out)
      throws ModelException {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new ModelException("the embedding has a non-finite value (" + v + ")");
      }
    }
    embedded.inc();
    return List.of(Vectors.toBytes(vector));
  }

  @Override
  protected void emit(Pending<CharacterCrop> pending, List<byte[]> recorded, Emitter out) {
    route(new EmbeddedCrop(pending.element(), Vectors.fromBytes(recorded.get(0))), pending, out);
  }

  private void route(EmbeddedCrop crop, Pending<CharacterCrop> pending, Emitter out) {
    String best = null;
    double bestDistance = Double.MAX_VALUE;
    for (Map.Entry<String, List<float[]>> entry : referenceVectors.entrySet()) {
      for (float[] reference : entry.getValue()) {
        if (reference.length != crop.embedding().length) {
          continue;
        }
        double d = Math.sqrt(Vectors.distanceSquared(crop.embedding(), reference));
        if (d < bestDistance) {
          bestDistance = d;
          best = entry.getKey();
        }
      }
    }
    if (best != null && bestDistance <= referenceThreshold) {
      matched.inc();
      out.emit(ASSIGNED, new IdentityAssignment(crop.crop(), crop.embedding(), best, bestDistance,
          IdentityAssignment.Source.REFERENCE), pending);
    } else if (unmatchedIsNoise) {
      out.emit(ASSIGNED, new IdentityAssignment(crop.crop(), crop.embedding(), ClusterModel.NOISE,
          best == null ? Double.NaN : bestDistance, IdentityAssignment.Source.NOISE), pending);
    } else {
      out.emit(EMBEDDED, crop, pending);
    }
  }
}
