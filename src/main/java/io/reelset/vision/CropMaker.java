package io.reelset.vision;

/**
 * Cuts one character out of a frame: the region's bounding box grown by {@code padding} (a share
 * of the box's size), as RGBA with the mask as alpha, or flattened on a background colour.
 */
public final class CropMaker {
  private CropMaker() {}

  /** A cut-out character: its box in the frame, the PNG, and a quality score in 0–1. */
  public record Crop(int x, int y, int width, int height, byte[] png, double quality) {}

  /**
   * @param background an RGB colour to flatten on, or -1 for RGBA (alpha = mask)
   * @param soft use the mask's confidence as alpha inside the region; else alpha is 255 there.
   *     Outside the region (background, other characters) alpha is 0
   */
  public static Crop crop(RgbImage image, float[] mask, MaskRegions.Result result, MaskRegions.Region region,
      double padding, int background, boolean soft) {
    int padX = (int) Math.round(region.boxWidth() * padding);
    int padY = (int) Math.round(region.boxHeight() * padding);
    int x0 = Math.max(0, region.minX() - padX);
    int y0 = Math.max(0, region.minY() - padY);
    int x1 = Math.min(image.width() - 1, region.maxX() + padX);
    int y1 = Math.min(image.height() - 1, region.maxY() + padY);
    int w = x1 - x0 + 1;
    int h = y1 - y0 + 1;
    int[] labels = result.labels();
    int[] pixels = new int[w * h];
    int decisive = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int fx = x0 + x;
        int fy = y0 + y;
        int i = fy * image.width() + fx;
        boolean mine = labels[i] == region.label();
        float confidence = mask[i];
        if (confidence < 0.1f || confidence > 0.9f) {
          decisive++;
        }
        double alpha = mine ? (soft ? confidence : 1) : 0;
        int r = image.red(fx, fy);
        int g = image.green(fx, fy);
        int b = image.blue(fx, fy);
        if (background < 0) {
          pixels[y * w + x] = ((int) Math.round(alpha * 255) << 24) | (r << 16) | (g << 8) | b;
        } else {
          int br = (background >> 16) & 0xff;
          int bg = (background >> 8) & 0xff;
          int bb = background & 0xff;
          pixels[y * w + x] = (blend(r, br, alpha) << 16) | (blend(g, bg, alpha) << 8) | blend(b, bb, alpha);
        }
      }
    }
    byte[] png = PngWriter.write(pixels, w, h, background < 0);
    double sharpness = (double) decisive / (w * h);
    return new Crop(x0, y0, w, h, png, region.meanConfidence() * sharpness);
  }

  private static int blend(int value, int background, double alpha) {
    return (int) Math.round(value * alpha + background * (1 - alpha));
  }
}
