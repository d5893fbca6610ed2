package io.reelset.vision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a soft foreground mask into character regions: threshold, fill small holes, split into
 * 8-connected components, drop the ones below a minimum area, keep the largest few. With a grow
 * threshold under the threshold (hysteresis), a region is the pixels at or above the grow
 * threshold connected to at least one at or above the threshold: the confident part seeds it, the
 * less confident part around it (dark hair on a dark background) joins it, and a faint blob with
 * no confident pixel is no region.
 */
public final class MaskRegions {
  private MaskRegions() {}

  /**
   * One character: the pixels of a component ({@code labels[i] == label}), its bounding box
   * (inclusive), its area in pixels and its mean mask confidence.
   */
  public record Region(int label, int area, int minX, int minY, int maxX, int maxY, double meanConfidence) {
    public int boxWidth() {
      return maxX - minX + 1;
    }

    public int boxHeight() {
      return maxY - minY + 1;
    }
  }

  /** The regions and the label of each pixel (0: background). */
  public record Result(List<Region> regions, int[] labels) {}

  /**
   * @param minAreaFraction a region smaller than this share of the frame is a speck and dropped
   * @param maxHoleFraction background enclosed by a region and smaller than this share of the
   *     frame is filled
   * @param maxInstances at most this many regions, largest first
   */
  public static Result find(float[] mask, int width, int height, float threshold, double minAreaFraction,
      double maxHoleFraction, int maxInstances) {
    return find(mask, width, height, threshold, threshold, minAreaFraction, maxHoleFraction, maxInstances);
  }

  /** As {@link #find}, growing regions seeded at {@code threshold} down to {@code growThreshold}. */
  public static Result find(float[] mask, int width, int height, float threshold, float growThreshold,
      double minAreaFraction, double maxHoleFraction, int maxInstances) {
    float low = Math.min(threshold, growThreshold);
    boolean[] foreground = new boolean[mask.length];
    for (int i = 0; i < mask.length; i++) {
      foreground[i] = mask[i] >= low;
    }
    fillHoles(foreground, width, height, (int) Math.floor(maxHoleFraction * width * height));
    int[] labels = new int[mask.length];
    List<Region> regions = new ArrayList<>();
    int next = 1;
    int[] queue = new int[mask.length];
    for (int start = 0; start < mask.length; start++) {
      if (!foreground[start] || labels[start] != 0) {
        continue;
      }
      int label = next++;
      labels[start] = label;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      int minX = width;
      int minY = height;
      int maxX = -1;
      int maxY = -1;
      double confidence = 0;
      boolean seeded = false;
      while (head < tail) {
        int i = queue[head++];
        int x = i % width;
        int y = i / width;
        confidence += mask[i];
        seeded |= mask[i] >= threshold;
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
        for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
          for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
            int n = ny * width + nx;
            if (foreground[n] && labels[n] == 0) {
              labels[n] = label;
              queue[tail++] = n;
            }
          }
        }
      }
      if (seeded) {
        regions.add(new Region(label, tail, minX, minY, maxX, maxY, confidence / tail));
      }
    }
    double minArea = minAreaFraction * width * height;
    List<Region> kept = regions.stream()
        .filter(r -> r.area() >= minArea)
        .sorted(Comparator.comparingInt(Region::area).reversed()
            .thenComparingInt(Region::minY).thenComparingInt(Region::minX))
        .limit(maxInstances)
        .toList();
    return new Result(kept, labels);
  }

  /** Sets to foreground every 4-connected background area that does not touch the border and is small. */
  static void fillHoles(boolean[] foreground, int width, int height, int maxHoleArea) {
    if (maxHoleArea <= 0) {
      return;
    }
    boolean[] seen = new boolean[foreground.length];
    int[] queue = new int[foreground.length];
    for (int start = 0; start < foreground.length; start++) {
      if (foreground[start] || seen[start]) {
        continue;
      }
      boolean touchesBorder = false;
      seen[start] = true;
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      while (head < tail) {
        int i = queue[head++];
        int x = i % width;
        int y = i / width;
        if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
          touchesBorder = true;
        }
        if (x > 0 && !foreground[i - 1] && !seen[i - 1]) {
          seen[i - 1] = true;
          queue[tail++] = i - 1;
        }
        if (x < width - 1 && !foreground[i + 1] && !seen[i + 1]) {
          seen[i + 1] = true;
          queue[tail++] = i + 1;
        }
        if (y > 0 && !foreground[i - width] && !seen[i - width]) {
          seen[i - width] = true;
          queue[tail++] = i - width;
        }
        if (y < height - 1 && !foreground[i + width] && !seen[i + width]) {
          seen[i + width] = true;
          queue[tail++] = i + width;
        }
      }
      if (!touchesBorder && tail <= maxHoleArea) {
        for (int k = 0; k < tail; k++) {
          foreground[queue[k]] = true;
        }
      }
    }
  }
}
