package io.reelset.stages.tagging;

import ai.onnxruntime.OrtException;
import io.reelset.compile.StageContext;
import io.reelset.kit.Batches;
import io.reelset.kit.BatchingDoFn;
import io.reelset.kit.Checkpoints;
import io.reelset.kit.ResumableBatchFn;
import io.reelset.kit.SharedModel;
import io.reelset.kit.StageMetrics;
import io.reelset.values.CharacterCrop;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.Tag;
import io.reelset.values.TagCoder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.RgbImage;
import io.reelset.vision.WdTagger;
import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Tags every crop with a WD14-format tagger, in micro-batches spread over the workers, resumably;
 * the values come out as they went in ({@link CharacterCrop} or {@link IdentityAssignment}) with
 * their tags attached. A crop the tagger cannot read is a {@link Failure}.
 *
 * {@code
 * PCollection<CharacterCrop> tagged = crops.apply(TagCrops.of(Items.CROPS, config, context)).output();
 * }
 *
 * @param <T> the values tagged
 */
public final class TagCrops<T> extends PTransform<PCollection<T>, WithFailures.Result<PCollection<T>, Failure>> {
  private static final long serialVersionUID = 1L;

  /** How the values hold their crop. */
  public interface Items<T> extends Serializable {
    CharacterCrop crop(T item);

    T with(T item, CharacterCrop crop);

    /** Crops themselves. */
    Items<CharacterCrop> CROPS = new Items<>() {
      @Override
      public CharacterCrop crop(CharacterCrop item) {
        return item;
      }

      @Override
      public CharacterCrop with(CharacterCrop item, CharacterCrop crop) {
        return crop;
      }
    };

    /** Identity assignments, each of one crop. */
    Items<IdentityAssignment> ASSIGNMENTS = new Items<>() {
      @Override
      public CharacterCrop crop(IdentityAssignment item) {
        return item.crop();
      }

      @Override
      public IdentityAssignment with(IdentityAssignment item, CharacterCrop crop) {
        return item.withCrop(crop);
      }
    };
  }

  private final Items<T> items;
  private final WdTagger.Model model;
  private final TaggingConfig config;
  private final StageContext context;

  private TagCrops(Items<T> items, WdTagger.Model model, TaggingConfig config, StageContext context) {
    this.items = items;
    this.model = model;
    this.config = config;
    this.context = context;
  }

  /** With the tagger {@code config} names, for the stage of {@code context}: its records and retries. */
  public static <T> TagCrops<T> of(Items<T> items, TaggingConfig config, StageContext context) {
    WdTagger.Model model = config.tagger();
    if (model == null) {
      throw new IllegalArgumentException("stage '" + context.stageId() + "': no tagger model; set config.model");
    }
    return new TagCrops<>(items, model, config, context);
  }

  @Override
  public WithFailures.Result<PCollection<T>, Failure> expand(PCollection<T> input) {
    Coder<T> coder = input.getCoder();
    TagFn<T> fn = new TagFn<>(context.stageId(), items, model, config.selection(), config.device(), config.threads(),
        config.batchSize(), context.checkpoints());
    fn.retrying(context.retryPolicy().alsoTransient(OrtException.class));
    PCollectionTuple out = input
        .apply("Spread", Batches.spread(config.device().itemsPerBundle(config.batchSize())))
        .apply("Tag", ParDo.of(fn).withOutputTags(fn.tagged, TupleTagList.of(TagFn.FAILURES)));
    return WithFailures.Result.of(out.get(fn.tagged).setCoder(coder),
        out.get(TagFn.FAILURES).setCoder(FailureCoder.of()));
  }

  /** Tags crops in micro-batches; what is recorded per crop is its tags. */
  static final class TagFn<T> extends ResumableBatchFn<T, T, RgbImage, float[], Tag> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
    final TupleTag<T> tagged = new TupleTag<>("tagged");

    private final Items<T> items;
    private final SharedModel<WdTagger> tagger;
    private final WdTagger.Selection selection;
    private final Counter crops;
    private final Counter tags;

    TagFn(String stageId, Items<T> items, WdTagger.Model model, WdTagger.Selection selection,
        OnnxSegmenter.Device device, int threads, int batchSize, Checkpoints checkpoints) {
      super(stageId, batchSize, checkpoints, TagCoder.of(), FAILURES);
      this.items = items;
      this.tagger = session(model, device, threads);
      this.selection = selection;
      String namespace = StageMetrics.namespace(stageId);
      this.crops = Metrics.counter(namespace, "crops_tagged");
      this.tags = Metrics.counter(namespace, "tags");
    }

    /** The JVM's shared tagger for these settings. */
    static SharedModel<WdTagger> session(WdTagger.Model model, OnnxSegmenter.Device device, int threads) {
      return SharedModel.of("tagger|" + model.key() + "|" + device + "|" + threads,
          () -> WdTagger.open(model, device, threads));
    }

    @Setup
    public void setup() throws Exception {
      tagger.get();
    }

    @Teardown
    public void teardown() {
      tagger.release();
    }

    @Override
    protected String key(T item) {
      return items.crop(item).key();
    }

    @Override
    protected RgbImage prepare(T item) throws Exception {
      return WdTagger.decode(items.crop(item).png());
    }

    @Override
    protected List<float[]> infer(List<RgbImage> batch) throws Exception {
      return tagger.get().scores(batch);
    }

    @Override
    protected List<Tag> finish(BatchingDoFn.Pending<T> item, RgbImage prepared, float[] scores, Emitter out)
        throws Exception {
      List<Tag> found = WdTagger.select(scores, tagger.get().columns(), selection);
      crops.inc();
      tags.inc(found.size());
      return found;
    }

    @Override
    protected void emit(BatchingDoFn.Pending<T> item, List<Tag> values, Emitter out) {
      T value = item.element();
      out.emit(tagged, items.with(value, items.crop(value).withTags(values)), item);
    }

    @Override
    protected String prepareFailure() {
      return "cannot decode the crop image";
    }

    @Override
    protected String processFailure() {
      return "the tagger failed on this crop";
    }
  }
}
