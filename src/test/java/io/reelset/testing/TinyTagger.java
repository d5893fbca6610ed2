package io.reelset.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tagger in the WD14 format that the tests build, since no real one can be fetched here: a
 * {@code model.onnx} with the real tagger's input ({@code input}, {@code [N, size, size, 3]} BGR
 * 0–255) and output ({@code output}, {@code [N, tags]} sigmoid scores) and a
 * {@code selected_tags.csv} with the real header and categories. Each score is a sigmoid of a
 * linear function of the image's mean blue, green and red ({@code ReduceMean(MatMul(input, W)) +
 * b}), so a blue crop gets {@code blue_hair} and the character {@code blupi_(planet_blupi)}, a red
 * one {@code red_hair}, and the other tags fixed scores:
 *
 * <pre>
 * general (rating) 0.731, sensitive 0.881, questionable 0.269, explicit 0.047
 * 1girl 0.953, solo 0.881, bow_(weapon) 0.731, ^_^ 0.5, long_hair 0.4
 * blue_hair sigmoid((B - R) / 10), red_hair sigmoid((R - B) / 10)
 * blupi_(planet_blupi) (character) sigmoid((B - R) / 10 - 1.386), robot_(planet_blupi) (character) 0.8
 * </pre>
 */
public final class TinyTagger {
  /** The tags in column order: name, category, fixed logit, weight on mean blue, on mean red. */
  private record Column(String name, int category, double logit, double blue, double red) {}

  private static final List<Column> COLUMNS = List.of(
      new Column("general", 9, 1, 0, 0),
      new Column("sensitive", 9, 2, 0, 0),
      new Column("questionable", 9, -1, 0, 0),
      new Column("explicit", 9, -3, 0, 0),
      new Column("1girl", 0, 3, 0, 0),
      new Column("blue_hair", 0, 0, 0.1, -0.1),
      new Column("red_hair", 0, 0, -0.1, 0.1),
      new Column("long_hair", 0, Math.log(0.4 / 0.6), 0, 0),
      new Column("^_^", 0, 0, 0, 0),
      new Column("bow_(weapon)", 0, 1, 0, 0),
      new Column("blupi_(planet_blupi)", 4, -Math.log(4), 0.1, -0.1),
      new Column("robot_(planet_blupi)", 4, Math.log(4), 0, 0),
      new Column("solo", 0, 2, 0, 0));

  private TinyTagger() {}

  /** Writes {@code model.onnx} and {@code selected_tags.csv} into {@code dir}; size -1 is dynamic. */
  public static Path write(Path dir, long size) throws IOException {
    Files.createDirectories(dir);
    int tags = COLUMNS.size();
    float[] weights = new float[3 * tags];
    float[] bias = new float[tags];
    for (int t = 0; t < tags; t++) {
      Column c = COLUMNS.get(t);
      weights[t] = (float) c.blue(); // channel 0 is blue
      weights[2 * tags + t] = (float) c.red(); // channel 2 is red
      bias[t] = (float) c.logit();
    }
    new TinyOnnx()
        .opset(18)
        .input("input", -1, size, size, 3)
        .initializer("weights", new long[] {3, tags}, weights)
        .initializer("axes", new long[] {2}, new long[] {1, 2})
        .initializer("bias", new long[] {tags}, bias)
        .node("MatMul", new String[] {"input", "weights"}, new String[] {"logits_per_pixel"})
        .node("ReduceMean", new String[] {"logits_per_pixel", "axes"}, new String[] {"mean_logits"})
        .node("Flatten", new String[] {"mean_logits"}, new String[] {"flat_logits"})
        .node("Add", new String[] {"flat_logits", "bias"}, new String[] {"logits"})
        .node("Sigmoid", new String[] {"logits"}, new String[] {"output"})
        .output("output", -1, tags)
        .write(dir.resolve("model.onnx"));
    StringBuilder csv = new StringBuilder("tag_id,name,category,count\n");
    for (int t = 0; t < tags; t++) {
      Column c = COLUMNS.get(t);
      csv.append(470_000 + t).append(',').append(c.name()).append(',').append(c.category()).append(',')
          .append(1000 - t).append('\n');
    }
    Files.writeString(dir.resolve("selected_tags.csv"), csv);
    return dir.resolve("model.onnx");
  }

  /** A {@code width × height} opaque PNG of one colour (0xRRGGBB). */
  public static byte[] png(int width, int height, int rgb) throws IOException {
    java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(width, height,
        java.awt.image.BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, 0xFF000000 | rgb);
      }
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
