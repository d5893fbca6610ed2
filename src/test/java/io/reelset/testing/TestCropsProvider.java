package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import io.reelset.values.CharacterCrop;
import io.reelset.values.CharacterCropCoder;
import io.reelset.vision.LabelledArt;
import io.reelset.vision.RealClips;
import io.reelset.vision.PngWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;

/**
 * Test stage {@code test_crops}: emits labelled character crops made from real character art
 * ({@link LabelledArt}); the crop's frame key is {@code <identity>/<sprite>#<variant>}, so the true
 * identity is the part before the slash. {@code videos} spreads them over that many video keys;
 * {@code broken} adds crops that cannot be embedded.
 */
public final class TestCropsProvider implements StageProvider<TestCropsProvider.Config> {

  @Override
  public String type() {
    return "test_crops";
  }

  @Override
  public String description() {
    return "emits labelled character crops from media/labelled (tests only)";
  }

  /** The config of {@code test_crops}. */
  public record Config(
      @Setting(value = "crops per identity", defaultValue = "24", min = 0, max = 10_000) int perIdentity,
      @Setting(value = "placement seed", defaultValue = "7", min = 0, max = Integer.MAX_VALUE) long seed,
      @Setting(value = "video keys to spread the crops over", defaultValue = "1", min = 1, max = 1000) int videos,
      @Setting(value = "crops that cannot be embedded", defaultValue = "0", min = 0, max = 100) int broken,
      @Setting("identities to keep (all when empty)") List<String> only,
      @Setting("a real set of RealClips instead of composited art (its crops, labelled by hand)") String clips) {}

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
    return CharacterCrop.class.getSimpleName();
  }

  /** The true identity of a crop made by this stage. */
  public static String truth(CharacterCrop crop) {
    return crop.frameKey().substring(0, crop.frameKey().indexOf('/'));
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    int perIdentity = config.perIdentity();
    int videos = config.videos();
    List<String> only = config.only();
    List<CharacterCrop> crops = new ArrayList<>();
    try {
      if (config.clips() != null && !config.clips().isEmpty()) {
        RealClips.Set set = RealClips.SETS.stream().filter(x -> x.name().equals(config.clips())).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no real set " + config.clips()));
        for (RealClips.LabelledCrop c : RealClips.crops(set)) {
          CharacterCrop k = c.crop();
          crops.add(new CharacterCrop(c.label() + "/" + k.frameKey(), k.videoKey(), k.ptsMs(), k.instance(), k.x(),
              k.y(), k.width(), k.height(), k.frameWidth(), k.frameHeight(), k.areaFraction(), k.quality(), k.png()));
        }
        return new StageResult(inputs.begin().apply("Crops", Create.of(crops).withCoder(CharacterCropCoder.of())),
            inputs.noFailures());
      }
      List<LabelledArt.Crop> art = perIdentity == 0 ? List.of()
          : LabelledArt.crops(perIdentity, config.seed());
      int i = 0;
      for (LabelledArt.Crop c : art) {
        if (!only.isEmpty() && !only.contains(c.identity())) {
          continue;
        }
        // a minute apart: no two composites are frames of one shot
        crops.add(new CharacterCrop(c.key(), "video" + (i++ % videos), i * 60_000L, 0, 0, 0, 100, 100, 1280, 720,
            0.1, 0.9, c.png()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (int b = 0; b < config.broken(); b++) {
      byte[] png = b % 2 == 0 ? new byte[] {1, 2, 3} : PngWriter.write(new int[64], 8, 8, true);
      crops.add(new CharacterCrop("broken/" + b + "#0", "video0", 0, 0, 0, 0, 8, 8, 1280, 720, 0, 0, png));
    }
    PCollection<CharacterCrop> out = inputs.begin().apply("Crops", crops.isEmpty()
        ? Create.empty(CharacterCropCoder.of()) : Create.of(crops).withCoder(CharacterCropCoder.of()));
    return new StageResult(out, inputs.noFailures());
  }
}
