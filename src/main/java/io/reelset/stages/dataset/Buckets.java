package io.reelset.stages.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The aspect-ratio buckets kohya's sd-scripts makes ({@code make_bucket_resolutions}: every width
 * from the minimum to the maximum in steps, with the largest height in steps that keeps the area
 * within resolution², both ways round, and the square) and the bucket it puts an image in: the one
 * whose aspect ratio is nearest the image's. An image smaller than its bucket is up-scaled.
 */
record Buckets(List<int[]> sizes) {

  static Buckets of(int resolution, int min, int max, int step) {
    long area = (long) resolution * resolution;
    TreeSet<List<Integer>> sizes = new TreeSet<>((a, b) -> a.get(0).equals(b.get(0)) ? a.get(1) - b.get(1)
        : a.get(0) - b.get(0));
    int square = (int) (Math.sqrt(area) / step) * step;
    sizes.add(List.of(square, square));
    for (int width = min; width <= max; width += step) {
      int height = (int) Math.min(max, area / width / step * step);
      if (height >= min) {
        sizes.add(List.of(width, height));
        sizes.add(List.of(height, width));
      }
    }
    List<int[]> list = new ArrayList<>();
    sizes.forEach(s -> list.add(new int[] {s.get(0), s.get(1)}));
    return new Buckets(list);
  }

  /** The bucket of a {@code width × height} image, {width, height}. */
  int[] bucket(int width, int height) {
    double ratio = (double) width / height;
    int[] best = sizes.get(0);
    double error = Double.MAX_VALUE;
    for (int[] size : sizes) {
      double e = Math.abs((double) size[0] / size[1] - ratio);
      if (e < error) {
        error = e;
        best = size;
      }
    }
    return best;
  }
}
