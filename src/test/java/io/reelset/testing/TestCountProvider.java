package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.ConfigSchema;
import java.util.List;
import org.apache.beam.sdk.transforms.Count;

/** Test stage {@code test_count}: counts its input items, producing a Count. */
public final class TestCountProvider implements StageProvider {

  @Override
  public String type() {
    return "test_count";
  }

  @Override
  public String description() {
    return "counts its items (tests only)";
  }

  @Override
  public ConfigSchema configSchema() {
    return ConfigSchema.empty();
  }

  @Override
  public List<String> inputKinds() {
    return List.of("Text");
  }

  @Override
  public String outputKind() {
    return "Count";
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context) {
    return new StageResult(inputs.merged(String.class).apply("Count", Count.globally()), inputs.noFailures());
  }
}
