package io.reelset.stages.clustering;

import ai.onnxruntime.OrtException;
import io.reelset.kit.Batches;
import io.reelset.kit.Retry;
import io.reelset.compile.StageContext;
import io.reelset.values.CharacterCrop;
import io.reelset.values.EmbeddedCropCoder;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.IdentityAssignmentCoder;
import java.util.List;
import io.reelset.values.EmbeddedCrop;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Every crop as an embedding, in micro-batches; a crop near enough a reference image takes its
 * name at once. The output holds {@link EmbedCropsFn#EMBEDDED} (crops to cluster) and
 * {@link EmbedCropsFn#ASSIGNED} (crops the references named, or noise); a crop that cannot be
 * embedded is a {@link Failure}.
 */
public final class EmbedCrops
    extends PTransform<PCollection<CharacterCrop>, WithFailures.Result<PCollectionTuple, Failure>> {
  private static final long serialVersionUID = 1L;

  private final DoFn<CharacterCrop, EmbeddedCrop> fn;
  private final int grouped;

  private EmbedCrops(DoFn<CharacterCrop, EmbeddedCrop> fn, int grouped) {
    this.fn = fn;
    this.grouped = grouped;
  }

  /** As {@code config} says, for the stage of {@code context}; {@code embedder} from {@link ClusteringProvider}. */
  static EmbedCrops of(ClusteringConfig config, CropEmbedder embedder, ReferenceImages references,
      StageContext context) {
    int batchSize = embedder.batches() ? config.batchSize() : 1;
    return new EmbedCrops(new EmbedCropsFn(context.stageId(), embedder, batchSize, references,
        config.referenceThreshold(), config.unmatched().equals("noise"), context.checkpoints())
        .retrying(context.retryPolicy().alsoTransient(OrtException.class)),
        config.device().itemsPerBundle(batchSize));
  }

  @Override
  public WithFailures.Result<PCollectionTuple, Failure> expand(PCollection<CharacterCrop> crops) {
    // a model's batches fill only when the crops come in bundles of that many (Batches); else as they come
    PCollection<CharacterCrop> spread = grouped > 1 ? crops.apply("Spread", Batches.spread(grouped)) : crops;
    PCollectionTuple embedded = spread.apply("Embed", ParDo.of(fn)
        .withOutputTags(EmbedCropsFn.EMBEDDED, TupleTagList.of(List.of(EmbedCropsFn.ASSIGNED, EmbedCropsFn.FAILURES))));
    PCollectionTuple out = PCollectionTuple
        .of(EmbedCropsFn.EMBEDDED, embedded.get(EmbedCropsFn.EMBEDDED).setCoder(EmbeddedCropCoder.of()))
        .and(EmbedCropsFn.ASSIGNED, embedded.get(EmbedCropsFn.ASSIGNED).setCoder(IdentityAssignmentCoder.of()));
    return WithFailures.Result.of(out, embedded.get(EmbedCropsFn.FAILURES).setCoder(FailureCoder.of()));
  }
}
