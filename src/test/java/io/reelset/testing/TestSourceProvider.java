package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import io.reelset.values.Failure;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/** Test stage {@code test_source}: emits the configured items; those listed in fail_on fail. */
public final class TestSourceProvider implements StageProvider<TestSourceProvider.Config> {
  static final TupleTag<String> OUT = new TupleTag<>() {};
  static final TupleTag<Failure> FAILED = new TupleTag<>() {};

  @Override
  public String type() {
    return "test_source";
  }

  @Override
  public String description() {
    return "emits the configured items (tests only)";
  }

  /** The config of {@code test_source}. */
  public record Config(
      @Setting(value = "the items to emit", required = true) List<Object> items,
      @Setting("items that fail instead") List<String> failOn) {}

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of();
  }

  @Override
  public String outputKind() {
    return "Text";
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    List<String> items = config.items().stream().map(String::valueOf).toList();
    List<String> failOn = config.failOn();
    PCollectionTuple result = inputs.begin()
        .apply("Items", Create.of(items).withCoder(StringUtf8Coder.of()))
        .apply("Emit", ParDo.of(new EmitFn(context.stageId(), failOn))
            .withOutputTags(OUT, TupleTagList.of(FAILED)));
    PCollection<String> out = result.get(OUT).setCoder(StringUtf8Coder.of());
    return new StageResult(out, result.get(FAILED));
  }

  static final class EmitFn extends DoFn<String, String> {
    private static final long serialVersionUID = 1L;
    private final String stageId;
    private final List<String> failOn;

    EmitFn(String stageId, List<String> failOn) {
      this.stageId = stageId;
      this.failOn = List.copyOf(failOn);
    }

    @ProcessElement
    public void process(@Element String item, MultiOutputReceiver out) {
      if (failOn.contains(item)) {
        out.get(FAILED).output(new Failure(stageId, item, "cannot read item", ""));
      } else {
        out.get(OUT).output(item);
      }
    }
  }
}
