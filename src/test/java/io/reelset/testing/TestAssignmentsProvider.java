package io.reelset.testing;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import io.reelset.values.CharacterCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.vision.PngWriter;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.beam.sdk.transforms.Create;

/**
 * Test stage {@code test_assignments}: emits identity assignments of small solid-colour crops,
 * {@code identities: {id: count}} of each (an id {@code noise} gives noise), from the video
 * {@code video}; embeddings are random but fixed per crop.
 */
public final class TestAssignmentsProvider implements StageProvider<TestAssignmentsProvider.Config> {

  @Override
  public String type() {
    return "test_assignments";
  }

  @Override
  public String description() {
    return "emits identity assignments of solid-colour crops (tests only)";
  }

  /** The config of {@code test_assignments}. */
  public record Config(
      @Setting(value = "{identity id: number of crops}", required = true) Map<String, Object> identities,
      @Setting(value = "the video key of every crop", defaultValue = "episode01.mkv") String video,
      @Setting(value = "assignments of identity_001 whose crop is not an image", defaultValue = "0", min = 0, max = 100)
          int broken,
      @Setting("{identity id: #RRGGBB, or a list of them taken in turn}; default a colour per identity")
          Map<String, Object> colours,
      @Setting(value = "frame keys as frame extraction makes them (<video>@<pts, 9 digits>), to match test_frames",
          defaultValue = "false") boolean frameKeys) {}

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
    return IdentityAssignment.class.getSimpleName();
  }

  /** The crop's colour: the configured one (a list taken in turn), or one per identity. */
  private static int colour(Map<String, Object> colours, String identity, int index, int n) {
    Object given = colours == null ? null : colours.get(identity);
    if (given instanceof List<?> list) {
      given = list.get(index % list.size());
    }
    if (given instanceof String hex) {
      return Integer.parseInt(hex.substring(1), 16);
    }
    return n * 0x3f2a17 & 0xffffff;
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    Map<String, Object> identities = config.identities();
    String video = config.video();
    List<IdentityAssignment> out = new ArrayList<>();
    int colour = 0;
    for (Map.Entry<String, Object> entry : identities.entrySet()) {
      int count = ((Number) entry.getValue()).intValue();
      colour++;
      for (int i = 0; i < count; i++) {
        int w = 50 + i;
        int h = 90 + 2 * i;
        int[] pixels = new int[w * h];
        java.util.Arrays.fill(pixels, 0xff000000 | colour(config.colours(), entry.getKey(), i, colour));
        pixels[0] = 0; // one transparent pixel
        String frame = video + "@" + String.format(config.frameKeys() ? "%09d" : "%06d", 1000 * i + colour);
        CharacterCrop crop = new CharacterCrop(frame, video, 1000L * i + colour, 0, 0, 0, w, h, 1280, 720, 0.1, 0.9,
            PngWriter.write(pixels, w, h, true));
        Random random = new Random(frame.hashCode());
        float[] v = new float[8];
        for (int d = 0; d < v.length; d++) {
          v[d] = (float) random.nextGaussian();
        }
        boolean noise = entry.getKey().equals("noise");
        out.add(new IdentityAssignment(crop, Vectors.normalise(v), entry.getKey(), noise ? Double.NaN : 0.1,
            noise ? IdentityAssignment.Source.NOISE : IdentityAssignment.Source.CLUSTER));
      }
    }
    for (int b = 0; b < config.broken(); b++) {
      CharacterCrop crop = new CharacterCrop(video + "@broken" + b, video, 0, 0, 0, 0, 1, 1, 1280, 720, 0, 0,
          new byte[] {1, 2, 3});
      float[] v = new float[8];
      v[b % 8] = 1;
      out.add(new IdentityAssignment(crop, v, "identity_001", 0.1, IdentityAssignment.Source.CLUSTER));
    }
    return new StageResult(inputs.begin().apply("Assignments", Create.of(out).withCoder(IdentityAssignmentCoder.of())),
        inputs.noFailures());
  }
}
