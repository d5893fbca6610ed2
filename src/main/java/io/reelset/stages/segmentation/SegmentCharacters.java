package io.reelset.stages.segmentation;

import ai.onnxruntime.OrtException;
import io.reelset.compile.StageContext;
import io.reelset.kit.Batches;
import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.Frame;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Every character cut out of every frame with an ONNX segmentation model, in micro-batches spread
 * over the workers; a frame that cannot be segmented is a {@link Failure}.
 *
 * {@code
 * SegmentationConfig config = ConfigSchema.defaults(SegmentationConfig.class, Map.of("model", "isnet.onnx"));
 * WithFailures.Result<PCollection<CharacterCrop>, Failure> crops =
 *     frames.apply(SegmentCharacters.of(config, context));
 * }
 */
public final class SegmentCharacters
    extends PTransform<PCollection<Frame>, WithFailures.Result<PCollection<CharacterCrop>, Failure>> {
  private static final long serialVersionUID = 1L;

  private final SegmentationConfig config;
  private final StageContext context;

  private SegmentCharacters(SegmentationConfig config, StageContext context) {
    this.config = config;
    this.context = context;
  }

  /** As {@code config} says, for the stage of {@code context}: its records, retries and output_dir. */
  public static SegmentCharacters of(SegmentationConfig config, StageContext context) {
    return new SegmentCharacters(config, context);
  }

  @Override
  public WithFailures.Result<PCollection<CharacterCrop>, Failure> expand(PCollection<Frame> frames) {
    PCollectionTuple out = frames
        .apply("Spread", Batches.spread(config.device().itemsPerBundle(config.batchSize())))
        .apply("Segment", ParDo.of(new SegmentCharactersFn(context.stageId(), config.segmentationModel(), config.device(),
                config.threads(), config.batchSize(), config.crops(), config.save() ? context.outputDir() : null,
                context.checkpoints())
                .retrying(context.retryPolicy().alsoTransient(OrtException.class)))
            .withOutputTags(SegmentCharactersFn.CROPS, TupleTagList.of(SegmentCharactersFn.FAILURES)));
    return WithFailures.Result.of(out.get(SegmentCharactersFn.CROPS).setCoder(CharacterCropCoder.of()),
        out.get(SegmentCharactersFn.FAILURES).setCoder(FailureCoder.of()));
  }
}
