package io.reelset.vision;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Frames whose true character mask is known: the fetched RGBA sprites (alpha is the exact mask)
 * drawn over the fetched backgrounds.
 */
public final class Composites {
  public static final Path ART = Path.of("media/art");

  /** A frame and its true mask (alpha of the sprite at least 128). */
  public record Composite(String name, BufferedImage frame, boolean[] truth) {}

  private Composites() {}

  public static List<Composite> make() throws Exception {
    return make(false);
  }

  /**
   * With {@code dark}: the same sprites with their auburn hair turned near-black and the
   * backgrounds darkened to a third — dark hair against a dark background, the case ISNet is
   * reported to cut away.
   */
  public static List<Composite> make(boolean dark) throws Exception {
    if (!Files.exists(ART.resolve("bg-meadow.jpg"))) {
      throw new IllegalStateException("fetch the test art first: scripts/fetch-media.sh");
    }
    String[][] pairs = {
        {"sylvie-green-normal.png", "bg-meadow.jpg"}, {"sylvie-blue-giggle.png", "bg-uni.jpg"},
        {"sylvie-green-smile.png", "bg-club.jpg"}, {"sylvie-blue-surprised.png", "bg-lecturehall.jpg"}};
    if (dark) {
      pairs = new String[][] {
          {"sylvie-green-normal.png", "bg-cave.jpg"}, {"sylvie-blue-giggle.png", "bg-club.jpg"},
          {"sylvie-green-smile.png", "bg-lecturehall.jpg"}, {"sylvie-blue-surprised.png", "bg-cave.jpg"}};
    }
    List<Composite> composites = new ArrayList<>();
    for (int i = 0; i < pairs.length; i++) {
      BufferedImage sprite = ImageIO.read(ART.resolve(pairs[i][0]).toFile());
      BufferedImage background = ImageIO.read(ART.resolve(pairs[i][1]).toFile());
      if (dark) {
        sprite = darkHair(sprite);
        background = scaled(background, 1 / 3.0);
      }
      int w = background.getWidth();
      int h = background.getHeight();
      BufferedImage frame = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = frame.createGraphics();
      g.drawImage(background, 0, 0, null);
      int left = 150 + i * 220;
      int top = h - sprite.getHeight();
      g.drawImage(sprite, left, top, null);
      g.dispose();
      boolean[] truth = new boolean[w * h];
      for (int y = 0; y < sprite.getHeight(); y++) {
        for (int x = 0; x < sprite.getWidth(); x++) {
          int fx = left + x;
          int fy = top + y;
          if (fx < w && fy >= 0 && fy < h && (sprite.getRGB(x, y) >>> 24) >= 128) {
            truth[fy * w + fx] = true;
          }
        }
      }
      composites.add(new Composite(pairs[i][0] + (dark ? " (dark hair) on dark " : " on ") + pairs[i][1], frame,
          truth));
    }
    return composites;
  }

  /** Hair-coloured pixels (red to orange, saturated: hers are auburn to magenta) made near-black, their shading kept. */
  static BufferedImage darkHair(BufferedImage sprite) {
    BufferedImage out = new BufferedImage(sprite.getWidth(), sprite.getHeight(), BufferedImage.TYPE_INT_ARGB);
    float[] hsb = new float[3];
    for (int y = 0; y < sprite.getHeight(); y++) {
      for (int x = 0; x < sprite.getWidth(); x++) {
        int argb = sprite.getRGB(x, y);
        java.awt.Color.RGBtoHSB((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, hsb);
        float hue = hsb[0] * 360;
        if ((hue < 40 || hue >= 300) && hsb[1] >= 0.4f) {
          int v = Math.round(hsb[2] * 60);
          argb = (argb & 0xff000000) | (v << 16) | (v << 8) | Math.min(255, v + 8);
        }
        out.setRGB(x, y, argb);
      }
    }
    return out;
  }

  private static BufferedImage scaled(BufferedImage image, double factor) {
    BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int r = (int) (((rgb >> 16) & 0xff) * factor);
        int g = (int) (((rgb >> 8) & 0xff) * factor);
        int b = (int) ((rgb & 0xff) * factor);
        out.setRGB(x, y, (r << 16) | (g << 8) | b);
      }
    }
    return out;
  }

  public static double iou(boolean[] truth, float[] mask, float threshold) {
    boolean[] predicted = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      predicted[i] = mask[i] >= threshold;
    }
    return iou(truth, predicted);
  }

  /** The IoU of the pixels of the regions found (each pixel's label one of theirs) with the truth. */
  public static double iou(boolean[] truth, MaskRegions.Result regions) {
    java.util.Set<Integer> kept = new java.util.HashSet<>();
    regions.regions().forEach(r -> kept.add(r.label()));
    boolean[] predicted = new boolean[truth.length];
    for (int i = 0; i < truth.length; i++) {
      predicted[i] = kept.contains(regions.labels()[i]);
    }
    return iou(truth, predicted);
  }

  static double iou(boolean[] truth, boolean[] mask) {
    long both = 0;
    long either = 0;
    for (int i = 0; i < truth.length; i++) {
      boolean predicted = mask[i];
      if (predicted && truth[i]) {
        both++;
      }
      if (predicted || truth[i]) {
        either++;
      }
    }
    return either == 0 ? 1 : (double) both / either;
  }
}
