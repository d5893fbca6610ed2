package io.reelset.stages.inventory;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.values.VideoFile;
import java.util.List;
import java.util.Map;

/**
 * Stage {@code video_inventory}: lists the videos of a corpus with their stable keys and sizes,
 * and writes them, sorted by key, to {@code <output_dir>/videos.jsonl}.
 *
 * <p>Use it to check what an input matches before a long run; the keys are those every later
 * stage uses.
 */
public final class InventoryProvider implements StageProvider<InventoryConfig> {
  public static final String TYPE = "video_inventory";
  public static final String FILE = ListVideos.FILE;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "lists the videos of a corpus (glob, directory or list file) with stable keys";
  }

  @Override
  public Class<InventoryConfig> configType() {
    return InventoryConfig.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of();
  }

  @Override
  public String outputKind() {
    return VideoFile.class.getSimpleName();
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("videos", FILE);
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, InventoryConfig config) {
    return StageResult.of(inputs.begin().apply("List", new ListVideos(config, context.stageId(), context.outputDir())));
  }
}
