package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;

/** Test stage {@code test_join}: merges all its inputs and puts a tag in front of each item. */
public final class TestJoinProvider implements StageProvider<TestJoinProvider.Config> {

  @Override
  public String type() {
    return "test_join";
  }

  @Override
  public String description() {
    return "merges its inputs (tests only)";
  }

  /** The config of {@code test_join}. */
  public record Config(@Setting(value = "text put in front of each item", defaultValue = "joined") String tag) {}

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of("Text");
  }

  @Override
  public String outputKind() {
    return "Text";
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("report", "report.html");
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    String tag = config.tag();
    if (tag.isEmpty() && inputs.all().size() > 1) {
      throw new IllegalArgumentException("stage '" + context.stageId()
          + "': config.tag: must not be empty when the stage joins more than one input");
    }
    PCollection<String> out = inputs.merged(String.class)
        .apply("Tag", MapElements.into(TypeDescriptors.strings()).via(item -> tag + ":" + item));
    return new StageResult(out, inputs.noFailures());
  }
}
