package io.reelset.vision;

import java.nio.FloatBuffer;

/**
 * Pre- and post-processing around a segmentation model: an image into the model's normalised
 * planar tensor, and the model's mask back to the image's size.
 */
public final class ModelInput {
  private ModelInput() {}

  /** Where the image sits inside the model input: the letterbox scale and offsets. */
  public record Placement(double scaleX, double scaleY, double offsetX, double offsetY) {}

  public static Placement placement(SegmentationModel model, int width, int height) {
    if (!model.letterbox()) {
      return new Placement((double) model.width() / width, (double) model.height() / height, 0, 0);
    }
    double scale = Math.min((double) model.width() / width, (double) model.height() / height);
    return new Placement(scale, scale, (model.width() - width * scale) / 2, (model.height() - height * scale) / 2);
  }

  /** Writes {@code image} as a [3, h, w] tensor into {@code out} at its position. */
  public static void write(SegmentationModel model, RgbImage image, FloatBuffer out) {
    int w = model.width();
    int h = model.height();
    Placement p = placement(model, image.width(), image.height());
    int plane = w * h;
    int base = out.position();
    for (int y = 0; y < h; y++) {
      double sy = (y + 0.5 - p.offsetY()) / p.scaleY() - 0.5;
      for (int x = 0; x < w; x++) {
        double sx = (x + 0.5 - p.offsetX()) / p.scaleX() - 0.5;
        boolean inside = sx > -1 && sy > -1 && sx < image.width() && sy < image.height();
        for (int c = 0; c < 3; c++) {
          float value = inside ? (float) bilinear(image, sx, sy, c) : 0f;
          out.put(base + c * plane + y * w + x, (value - model.mean()[c]) / model.std()[c]);
        }
      }
    }
    out.position(base + 3 * plane);
  }

  private static double bilinear(RgbImage image, double x, double y, int channel) {
    int x0 = (int) Math.floor(x);
    int y0 = (int) Math.floor(y);
    double fx = x - x0;
    double fy = y - y0;
    double a = sample(image, x0, y0, channel);
    double b = sample(image, x0 + 1, y0, channel);
    double c = sample(image, x0, y0 + 1, channel);
    double d = sample(image, x0 + 1, y0 + 1, channel);
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy;
  }

  private static int sample(RgbImage image, int x, int y, int channel) {
    int cx = Math.max(0, Math.min(image.width() - 1, x));
    int cy = Math.max(0, Math.min(image.height() - 1, y));
    return image.rgb()[(cy * image.width() + cx) * 3 + channel] & 0xff;
  }

  /**
   * The model's mask ({@code h × w} floats from {@code mask} at its position) resampled to
   * {@code width × height} with bilinear interpolation, clipped to 0–1.
   */
  public static float[] maskFor(SegmentationModel model, FloatBuffer mask, int width, int height) {
    int w = model.width();
    int h = model.height();
    int base = mask.position();
    float[] model2d = new float[w * h];
    mask.get(model2d);
    Placement p = placement(model, width, height);
    float[] out = new float[width * height];
    for (int y = 0; y < height; y++) {
      double my = (y + 0.5) * p.scaleY() + p.offsetY() - 0.5;
      int y0 = Math.max(0, Math.min(h - 1, (int) Math.floor(my)));
      int y1 = Math.min(h - 1, y0 + 1);
      double fy = Math.max(0, Math.min(1, my - y0));
      for (int x = 0; x < width; x++) {
        double mx = (x + 0.5) * p.scaleX() + p.offsetX() - 0.5;
        int x0 = Math.max(0, Math.min(w - 1, (int) Math.floor(mx)));
        int x1 = Math.min(w - 1, x0 + 1);
        double fx = Math.max(0, Math.min(1, mx - x0));
        double top = model2d[y0 * w + x0] * (1 - fx) + model2d[y0 * w + x1] * fx;
        double bottom = model2d[y1 * w + x0] * (1 - fx) + model2d[y1 * w + x1] * fx;
        out[y * width + x] = (float) Math.max(0, Math.min(1, top * (1 - fy) + bottom * fy));
      }
    }
    mask.position(base + w * h);
    return out;
  }
}
