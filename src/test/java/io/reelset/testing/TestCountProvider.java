package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.NoConfig;
import java.util.List;
import org.apache.beam.sdk.transforms.Count;

/** Test stage {@code test_count}: counts its input items, producing a Count. */
public final class TestCountProvider implements StageProvider<NoConfig> {

  @Override
  public String type() {
    return "test_count";
  }

  @Override
  public String description() {
    return "counts its items (tests only)";
  }


  @Override
  public Class<NoConfig> configType() {
    return NoConfig.class;
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
  public StageResult expand(StageInputs inputs, StageContext context, NoConfig config) {
    return new StageResult(inputs.merged(String.class).apply("Count", Count.globally()), inputs.noFailures());
  }
}
