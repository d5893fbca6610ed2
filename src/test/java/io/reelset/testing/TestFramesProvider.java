package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.beam.sdk.transforms.Create;

/**
 * Test stage {@code test_frames}: emits 96×64 JPEG frames of one video at the given timestamps,
 * each a grey of its own shade.
 */
public final class TestFramesProvider implements StageProvider<TestFramesProvider.Config> {

  /** The config of {@code test_frames}. */
  public record Config(
      @Setting(value = "the frames' timestamps in milliseconds", required = true) List<Long> pts,
      @Setting(value = "the video key of every frame", defaultValue = "episode01.mkv") String video) {}

  @Override
  public String type() {
    return "test_frames";
  }

  @Override
  public String description() {
    return "emits grey JPEG frames at given timestamps (tests only)";
  }

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
    return Frame.class.getSimpleName();
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    List<Frame> frames = new ArrayList<>();
    for (int i = 0; i < config.pts().size(); i++) {
      long pts = ((Number) config.pts().get(i)).longValue();
      BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_INT_RGB);
      int grey = 40 + (i * 37) % 200;
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 96; x++) {
          image.setRGB(x, y, grey << 16 | grey << 8 | grey);
        }
      }
      ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
      try {
        ImageIO.write(image, "jpg", jpeg);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      frames.add(new Frame(config.video(), i, pts, 96, 64, "jpg", jpeg.toByteArray(), 0));
    }
    return new StageResult(inputs.begin().apply("Frames", Create.of(frames).withCoder(FrameCoder.of())),
        inputs.noFailures());
  }
}
