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

  /**
   * Writes {@code image} as a [3, h, w] tensor into {@code out} at its position: each input pixel
   * sampled bilinearly from the image (edge pixels repeated; 0 outside the image, in the
   * letterbox), less the model's mean, over its std. Each column's and row's source pixels and
   * weights are worked out once, not per pixel and channel.
   */
  public static void write(SegmentationModel model, RgbImage image, FloatBuffer out) {
    int w = model.width();
    int h = model.height();
    int iw = image.width();
    int ih = image.height();
    byte[] rgb = image.rgb();
    Placement p = placement(model, iw, ih);
    int plane = w * h;
    int base = out.position();
    boolean[] columnInside = new boolean[w];
    int[] left = new int[w];
    int[] right = new int[w];
    double[] fxs = new double[w];
    for (int x = 0; x < w; x++) {
      double sx = (x + 0.5 - p.offsetX()) / p.scaleX() - 0.5;
      int x0 = (int) Math.floor(sx);
      columnInside[x] = sx > -1 && sx < iw;
      fxs[x] = sx - x0;
      left[x] = clamp(x0, iw) * 3;
      right[x] = clamp(x0 + 1, iw) * 3;
    }
    float[] mean = model.mean();
    float[] std = model.std();
    float[][] rows = new float[3][w];
    for (int y = 0; y < h; y++) {
      double sy = (y + 0.5 - p.offsetY()) / p.scaleY() - 0.5;
      int y0 = (int) Math.floor(sy);
      boolean rowInside = sy > -1 && sy < ih;
      double fy = sy - y0;
      int top = clamp(y0, ih) * iw * 3;
      int bottom = clamp(y0 + 1, ih) * iw * 3;
      for (int x = 0; x < w; x++) {
        boolean inside = rowInside && columnInside[x];
        double fx = fxs[x];
        for (int c = 0; c < 3; c++) {
          float value = 0f;
          if (inside) {
            int a = rgb[top + left[x] + c] & 0xff;
            int b = rgb[top + right[x] + c] & 0xff;
            int d = rgb[bottom + left[x] + c] & 0xff;
            int e = rgb[bottom + right[x] + c] & 0xff;
            value = (float) ((a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy);
          }
          rows[c][x] = (value - mean[c]) / std[c];
        }
      }
      for (int c = 0; c < 3; c++) {
        out.put(base + c * plane + y * w, rows[c]);
      }
    }
    out.position(base + 3 * plane);
  }

  private static int clamp(int i, int size) {
    return Math.max(0, Math.min(size - 1, i));
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
