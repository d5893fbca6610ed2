package io.reelset.stages.clustering;

import io.reelset.compile.BatchingDoFn;
import io.reelset.compile.Checkpoints;
import io.reelset.compile.Retry;
import io.reelset.compile.StageMetrics;
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
 * Embeds crops in micro-batches. With references, a crop nearer than the threshold to a reference
 * image takes that reference's name at once; the rest go on to clustering (or become noise, with
 * {@code unmatched: noise}). A crop that cannot be embedded is a {@link Failure}; when a batch
 * fails, its crops are embedded one by one so that a bad crop fails alone.
 */
final class EmbedCropsFn extends BatchingDoFn<CharacterCrop, EmbeddedCrop> {
  private static final long serialVersionUID = 1L;
  static final TupleTag<EmbeddedCrop> EMBEDDED = new TupleTag<>() {};
  static final TupleTag<IdentityAssignment> ASSIGNED = new TupleTag<>() {};
  static final TupleTag<Failure> FAILURES = new TupleTag<>() {};

  private final String stageId;
  private final CropEmbedder embedder;
  private final ReferenceImages references;
  private final double referenceThreshold;
  private final boolean unmatchedIsNoise;
  private final Counter embedded;
  private final Counter matched;
  private final Counter retried;
  private final Counter resumed;
  private final Counter recorded;
  private final Checkpoints checkpoints;

  private Retry retry;
  private transient Map<String, List<float[]>> referenceVectors;

  EmbedCropsFn(String stageId, CropEmbedder embedder, int batchSize, ReferenceImages references,
      double referenceThreshold, boolean unmatchedIsNoise, Checkpoints checkpoints) {
    super(batchSize);
    this.stageId = stageId;
    this.embedder = embedder;
    this.references = references;
    this.referenceThreshold = referenceThreshold;
    this.unmatchedIsNoise = unmatchedIsNoise;
    String namespace = StageMetrics.namespace(stageId);
    this.embedded = Metrics.counter(namespace, "crops_embedded");
    this.matched = Metrics.counter(namespace, "crops_matched_to_references");
    this.retried = Metrics.counter(namespace, "batches_retried_one_by_one");
    this.resumed = Metrics.counter(namespace, StageMetrics.RESUMED);
    this.recorded = Metrics.counter(namespace, StageMetrics.RECORDED);
    this.checkpoints = checkpoints;
    this.retry = Retry.none(namespace);
  }

  /** Tries embedding again on transient errors, per batch and then per crop. */
  EmbedCropsFn retrying(Retry policy) {
    this.retry = policy;
    return this;
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
  protected void flush(List<Pending<CharacterCrop>> all, Emitter out) {
    List<Pending<CharacterCrop>> batch = new ArrayList<>();
    for (Pending<CharacterCrop> pending : all) {
      List<byte[]> done = checkpoints == null ? null : checkpoints.read(pending.element().key(), ByteArrayCoder.of());
      if (done != null && done.size() == 1) {
        resumed.inc();
        route(new EmbeddedCrop(pending.element(), Vectors.fromBytes(done.get(0))), pending, out);
      } else {
        batch.add(pending);
      }
    }
    if (batch.isEmpty()) {
      return;
    }
    List<byte[]> images = new ArrayList<>();
    for (Pending<CharacterCrop> pending : batch) {
      images.add(pending.element().png());
    }
    List<float[]> vectors = null;
    if (batch.size() > 1) {
      try {
        vectors = retry.call(() -> embedder.embed(images));
      } catch (Exception e) {
        retried.inc();
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending<CharacterCrop> pending = batch.get(i);
      CharacterCrop crop = pending.element();
      float[] vector;
      try {
        byte[] image = images.get(i);
        vector = vectors != null ? vectors.get(i) : retry.call(() -> embedder.embed(List.of(image))).get(0);
        checkFinite(vector);
      } catch (Exception e) {
        out.emit(FAILURES, Failure.of(stageId, crop.key(), "cannot embed this crop", e), pending);
        continue;
      }
      embedded.inc();
      if (checkpoints != null && checkpoints.write(crop.key(), List.of(Vectors.toBytes(vector)), ByteArrayCoder.of())) {
        recorded.inc();
      }
      route(new EmbeddedCrop(crop, vector), pending, out);
    }
  }

  private static void checkFinite(float[] vector) throws ModelException {
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new ModelException("the embedding has a non-finite value (" + v + ")");
      }
    }
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
