package io.reelset.vision;

import java.nio.FloatBuffer;

/**
 * An image as a WD14-format tagger reads it (SmilingWolf's taggers, as kohya's
 * {@code tag_images_by_wd14_tagger.py} and imgutils feed them): padded to a square on white,
 * centred (the odd pixel of padding goes right and below), resized to {@code size × size} — area
 * averaging when it shrinks, bilinear when it grows (kohya uses Lanczos there) — and written
 * channels last, BGR, 0–255, as {@code [size, size, 3]}.
 */
public final class TaggerInput {
  private TaggerInput() {}

  /** One output pixel's source pixels along an axis of the padded square, and their weights. */
  private record Taps(int[] index, float[] weight) {}

  /** Writes {@code image} (already flattened on white) at the buffer's position. */
  public static void write(RgbImage image, int size, FloatBuffer out) {
    int side = Math.max(image.width(), image.height());
    int left = (side - image.width()) / 2;
    int top = (side - image.height()) / 2;
    Taps[] xs = taps(side, size);
    Taps[] ys = taps(side, size);
    // horizontal pass over the padded square's rows, then vertical
    float[] rows = new float[side * size * 3];
    for (int y = 0; y < side; y++) {
      int iy = y - top;
      for (int x = 0; x < size; x++) {
        Taps t = xs[x];
        float b = 0;
        float g = 0;
        float r = 0;
        for (int k = 0; k < t.index.length; k++) {
          int ix = t.index[k] - left;
          float w = t.weight[k];
          if (iy < 0 || iy >= image.height() || ix < 0 || ix >= image.width()) {
            b += 255 * w;
            g += 255 * w;
            r += 255 * w;
          } else {
            int p = (iy * image.width() + ix) * 3;
            r += (image.rgb()[p] & 0xff) * w;
            g += (image.rgb()[p + 1] & 0xff) * w;
            b += (image.rgb()[p + 2] & 0xff) * w;
          }
        }
        int o = (y * size + x) * 3;
        rows[o] = b;
        rows[o + 1] = g;
        rows[o + 2] = r;
      }
    }
    int base = out.position();
    for (int y = 0; y < size; y++) {
      Taps t = ys[y];
      for (int x = 0; x < size; x++) {
        for (int c = 0; c < 3; c++) {
          float v = 0;
          for (int k = 0; k < t.index.length; k++) {
            v += rows[(t.index[k] * size + x) * 3 + c] * t.weight[k];
          }
          out.put(base + (y * size + x) * 3 + c, Math.max(0, Math.min(255, v)));
        }
      }
    }
    out.position(base + size * size * 3);
  }

  /** Per output index: the source indices and weights (summing to 1) from {@code from} to {@code to}. */
  private static Taps[] taps(int from, int to) {
    Taps[] taps = new Taps[to];
    double scale = (double) from / to;
    for (int i = 0; i < to; i++) {
      if (from > to) {
        // area: the source interval [i * scale, (i + 1) * scale), each pixel by its overlap
        double start = i * scale;
        double end = start + scale;
        int first = (int) Math.floor(start);
        int last = Math.min(from - 1, (int) Math.ceil(end) - 1);
        int n = last - first + 1;
        int[] index = new int[n];
        float[] weight = new float[n];
        for (int k = 0; k < n; k++) {
          int j = first + k;
          index[k] = j;
          weight[k] = (float) ((Math.min(end, j + 1) - Math.max(start, j)) / scale);
        }
        taps[i] = new Taps(index, weight);
      } else {
        // bilinear between the two nearest source pixel centres
        double s = (i + 0.5) * scale - 0.5;
        int j0 = (int) Math.floor(s);
        double f = s - j0;
        int a = Math.max(0, Math.min(from - 1, j0));
        int b = Math.max(0, Math.min(from - 1, j0 + 1));
        taps[i] = new Taps(new int[] {a, b}, new float[] {(float) (1 - f), (float) f});
      }
    }
    return taps;
  }
}
