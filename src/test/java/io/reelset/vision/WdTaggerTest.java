package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.testing.TinyOnnx;
import io.reelset.testing.TinyTagger;
import io.reelset.values.Tag;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WD14 tagger's real loading, preprocessing and inference code on a tagger the test builds
 * ({@link TinyTagger}), and the choice of tags from its scores.
 */
class WdTaggerTest {
  private static final WdTagger.Selection DEFAULTS =
      new WdTagger.Selection(0.35, 0.85, false, Set.of(), true, false, 0);

  @TempDir
  Path dir;

  private WdTagger open(long size) throws Exception {
    TinyTagger.write(dir, size);
    return WdTagger.open(new WdTagger.Model(dir.resolve("model.onnx").toString(),
        dir.resolve("selected_tags.csv").toString(), null, null, 0), OnnxSegmenter.Device.CPU, 1);
  }

  private static List<String> names(List<Tag> tags) {
    return tags.stream().map(Tag::name).toList();
  }

  private static RgbImage solid(int width, int height, int rgb) {
    byte[] pixels = new byte[width * height * 3];
    for (int i = 0; i < width * height; i++) {
      pixels[i * 3] = (byte) (rgb >> 16);
      pixels[i * 3 + 1] = (byte) (rgb >> 8);
      pixels[i * 3 + 2] = (byte) rgb;
    }
    return new RgbImage(width, height, pixels);
  }

  @Test
  void anImageIsPaddedSquareOnWhiteCentredAndWrittenBgrChannelsLast() {
    FloatBuffer out = FloatBuffer.allocate(4 * 4 * 3);
    TaggerInput.write(solid(4, 2, 0xFF0000), 4, out);
    float[] v = out.array();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        float[] bgr = {v[(y * 4 + x) * 3], v[(y * 4 + x) * 3 + 1], v[(y * 4 + x) * 3 + 2]};
        float[] expected = y == 1 || y == 2 ? new float[] {0, 0, 255} : new float[] {255, 255, 255};
        assertArrayEquals(expected, bgr, 1e-4f, "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void shrinkingAveragesAreasAndGrowingInterpolates() {
    // a 4x4 of 2x2 blocks (black, white / white, black) shrunk to 2x2 keeps each block's value
    byte[] pixels = new byte[4 * 4 * 3];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        byte value = (byte) ((x / 2 + y / 2) % 2 == 0 ? 0 : 255);
        java.util.Arrays.fill(pixels, (y * 4 + x) * 3, (y * 4 + x) * 3 + 3, value);
      }
    }
    FloatBuffer small = FloatBuffer.allocate(2 * 2 * 3);
    TaggerInput.write(new RgbImage(4, 4, pixels), 2, small);
    assertArrayEquals(new float[] {0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0}, small.array(), 1e-3f);
    // a 3x3 shrunk to 2x2: each output pixel covers 1.5 x 1.5 source pixels
    FloatBuffer odd = FloatBuffer.allocate(2 * 2 * 3);
    byte[] centre = new byte[3 * 3 * 3];
    java.util.Arrays.fill(centre, 4 * 3, 5 * 3, (byte) 255);
    TaggerInput.write(new RgbImage(3, 3, centre), 2, odd);
    float expected = 255f * 0.25f / 2.25f;
    for (float value : odd.array()) {
      assertEquals(expected, value, 1e-3f);
    }
    // growing 1x1 to 3x3 gives the pixel everywhere
    FloatBuffer grown = FloatBuffer.allocate(3 * 3 * 3);
    TaggerInput.write(solid(1, 1, 0x102030), 3, grown);
    for (int i = 0; i < 9; i++) {
      assertArrayEquals(new float[] {0x30, 0x20, 0x10}, java.util.Arrays.copyOfRange(grown.array(), i * 3, i * 3 + 3),
          1e-3f);
    }
  }

  @Test
  void theTagListIsReadWithItsCategories() throws Exception {
    TinyTagger.write(dir, 32);
    List<WdTagger.Column> columns = WdTagger.readColumns(dir.resolve("selected_tags.csv"));
    assertEquals(13, columns.size());
    assertEquals(new WdTagger.Column("general", Tag.RATING), columns.get(0));
    assertEquals(new WdTagger.Column("blupi_(planet_blupi)", Tag.CHARACTER), columns.get(10));
    assertEquals(List.of("a", "b,c", "d\"e", ""), WdTagger.csvFields("a,\"b,c\",\"d\"\"e\","));
  }

  @Test
  void workersSharingTheSessionEachGetTheirOwnScores() throws Exception {
    // as the DirectRunner's workers share one session per model: inferences side by side
    int callers = Runtime.getRuntime().availableProcessors() + 3;
    try (WdTagger tagger = open(16)) {
      List<RgbImage> images = new ArrayList<>();
      List<float[]> alone = new ArrayList<>();
      for (int i = 0; i < callers * 4; i++) {
        images.add(solid(12 + i % 5, 16, (i * 37 % 256) << 16 | (255 - i * 53 % 256)));
        alone.add(tagger.scores(List.of(images.get(i))).get(0));
      }
      ExecutorService pool = Executors.newFixedThreadPool(callers);
      try {
        List<Future<float[]>> together = new ArrayList<>();
        for (RgbImage image : images) {
          together.add(pool.submit(() -> tagger.scores(List.of(image)).get(0)));
        }
        for (int i = 0; i < images.size(); i++) {
          assertArrayEquals(alone.get(i), together.get(i).get(), 1e-6f, "image " + i);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void theModelsInputSizeIsReadFromItAndItsScoresFollowTheImage() throws Exception {
    try (WdTagger tagger = open(32)) {
      assertEquals(32, tagger.inputSize());
      List<float[]> batch = tagger.scores(List.of(solid(20, 20, 0x0000FF), solid(10, 30, 0xFF0000)));
      List<float[]> one = tagger.scores(List.of(solid(10, 30, 0xFF0000)));
      assertArrayEquals(one.get(0), batch.get(1), 1e-5f);
      assertEquals(1.0, batch.get(0)[5], 1e-4, "blue_hair on blue");
      assertEquals(0.0, batch.get(0)[6], 1e-4, "red_hair on blue");
      // red 10x30 padded on white to 30x30: mean red 255, mean blue 255 * 2/3 -> (R - B) / 10 = 8.5
      assertEquals(1 / (1 + Math.exp(-8.5)), batch.get(1)[6], 1e-3, "red_hair on red padded on white");
      assertEquals(0.4, batch.get(0)[7], 1e-4, "long_hair fixed");
    }
  }

  @Test
  void aDynamicInputSizeIs448AndAWrongOneIsRefused() throws Exception {
    try (WdTagger tagger = open(-1)) {
      assertEquals(448, tagger.inputSize());
    }
    TinyTagger.write(dir, 64);
    ModelException e = assertThrows(ModelException.class, () -> WdTagger.open(new WdTagger.Model(
        dir.resolve("model.onnx").toString(), dir.resolve("selected_tags.csv").toString(), null, null, 32),
        OnnxSegmenter.Device.CPU, 1));
    assertEquals("model " + dir.resolve("model.onnx") + " takes 64x64 images, not 32x32; set input_size: 64 or leave"
        + " it out", e.getMessage());
  }

  @Test
  void tagsAreChosenByThresholdPerCategoryAndOrderedStrongestFirst() throws Exception {
    try (WdTagger tagger = open(16)) {
      float[] blue = tagger.scores(List.of(solid(8, 8, 0x0000FF))).get(0);
      float[] red = tagger.scores(List.of(solid(8, 8, 0xFF0000))).get(0);
      List<WdTagger.Column> columns = tagger.columns();
      assertEquals(List.of("blupi (planet blupi)", "blue hair", "1girl", "solo", "bow (weapon)", "^_^", "long hair"),
          names(WdTagger.select(blue, columns, DEFAULTS)));
      assertEquals(List.of("red hair", "1girl", "solo", "bow (weapon)", "^_^", "long hair"),
          names(WdTagger.select(red, columns, DEFAULTS)));
      List<Tag> tags = WdTagger.select(blue, columns, DEFAULTS);
      assertEquals(Tag.CHARACTER, tags.get(0).category());
      assertTrue(tags.subList(1, tags.size()).stream().allMatch(Tag::general));
      // thresholds: long_hair (0.40) goes at 0.45; robot (0.80) comes at a character threshold of 0.75
      assertEquals(List.of("blupi (planet blupi)", "robot (planet blupi)", "blue hair", "1girl", "solo",
              "bow (weapon)", "^_^"),
          names(WdTagger.select(blue, columns, new WdTagger.Selection(0.45, 0.75, false, Set.of(), true, false, 0))));
    }
  }

  @Test
  void ratingsUndesiredTagsUnderscoresEscapingAndTheCap() throws Exception {
    try (WdTagger tagger = open(16)) {
      float[] blue = tagger.scores(List.of(solid(8, 8, 0x0000FF))).get(0);
      List<WdTagger.Column> columns = tagger.columns();
      List<Tag> rated = WdTagger.select(blue, columns, new WdTagger.Selection(0.35, 0.85, true, Set.of(), true,
          false, 0));
      assertEquals(new Tag("sensitive", Tag.RATING, rated.get(rated.size() - 1).score()), rated.get(rated.size() - 1));
      assertEquals(1, rated.stream().filter(Tag::rating).count());
      assertEquals(List.of("blupi (planet blupi)", "1girl", "bow (weapon)", "^_^", "long hair"),
          names(WdTagger.select(blue, columns, new WdTagger.Selection(0.35, 0.85, false, Set.of("solo", "Blue_Hair"),
              true, false, 0))));
      assertEquals(List.of("blupi_\\(planet_blupi\\)", "blue_hair", "1girl", "solo", "bow_\\(weapon\\)", "^_^",
              "long_hair"),
          names(WdTagger.select(blue, columns, new WdTagger.Selection(0.35, 0.85, false, Set.of(), false, true, 0))));
      assertEquals(List.of("blupi (planet blupi)", "blue hair", "1girl"),
          names(WdTagger.select(blue, columns, new WdTagger.Selection(0.35, 0.85, false, Set.of(), true, false, 2))));
    }
  }

  @Test
  void aTagListThatDoesNotMatchTheModelIsRefused() throws Exception {
    TinyTagger.write(dir, 16);
    Path csv = dir.resolve("selected_tags.csv");
    List<String> lines = Files.readAllLines(csv);
    Files.write(csv, lines.subList(0, lines.size() - 1));
    ModelException e = assertThrows(ModelException.class, () -> WdTagger.open(new WdTagger.Model(
        dir.resolve("model.onnx").toString(), csv.toString(), null, null, 0), OnnxSegmenter.Device.CPU, 1));
    assertEquals("model " + dir.resolve("model.onnx") + " output 'output' has shape [-1, 13], but " + csv
        + " lists 12 tags; expected [N, 12] (is it the tag list of this model?)", e.getMessage());
    Files.writeString(csv, "id;name;kind\n1;a;0\n");
    e = assertThrows(ModelException.class, () -> WdTagger.readColumns(csv));
    assertEquals("tag list " + csv + " has header 'id;name;kind'; expected the columns tag_id,name,category,count",
        e.getMessage());
    e = assertThrows(ModelException.class, () -> WdTagger.readColumns(dir.resolve("missing.csv")));
    assertTrue(e.getMessage().startsWith("tag list " + dir.resolve("missing.csv") + " does not exist"), e.getMessage());
  }

  @Test
  void aModelWithPlanarInputIsNotATagger() throws Exception {
    Path model = new TinyOnnx().input("input", -1, 3, 16, 16).node("Identity", new String[] {"input"},
        new String[] {"output"}).output("output", -1, 3, 16, 16).write(dir.resolve("planar.onnx"));
    TinyTagger.write(dir.resolve("t"), 16);
    ModelException e = assertThrows(ModelException.class, () -> WdTagger.open(new WdTagger.Model(model.toString(),
        dir.resolve("t/selected_tags.csv").toString(), null, null, 0), OnnxSegmenter.Device.CPU, 1));
    assertEquals("model " + model + " input 'input' has shape [-1, 3, 16, 16]; expected [N, size, size, 3] (a"
        + " WD14-format tagger: BGR images, channels last)", e.getMessage());
  }
}
