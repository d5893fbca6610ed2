package io.reelset.media;

/**
 * Perceptual hashes, differences and sharpness of small gray images (row-major, 8-bit).
 *
 * <p>{@link #dHash} is the difference hash: the thumbnail averaged down to 9×8 cells, one bit
 * per horizontally adjacent pair (left brighter than right). Near-identical frames differ in few
 * bits; {@link #hamming} counts them.
 */
public final class FrameHashes {
  private FrameHashes() {}

  public static long dHash(byte[] gray, int width, int height) {
    double[][] cells = new double[8][9];
    int[][] counts = new int[8][9];
    for (int y = 0; y < height; y++) {
      int row = y * 8 / height;
      for (int x = 0; x < width; x++) {
        int column = x * 9 / width;
        cells[row][column] += gray[y * width + x] & 0xff;
        counts[row][column]++;
      }
    }
    long hash = 0;
    for (int row = 0; row < 8; row++) {
      for (int column = 0; column < 8; column++) {
        double left = cells[row][column] / Math.max(1, counts[row][column]);
        double right = cells[row][column + 1] / Math.max(1, counts[row][column + 1]);
        hash = (hash << 1) | (left > right ? 1 : 0);
      }
    }
    return hash;
  }

  public static int hamming(long a, long b) {
    return Long.bitCount(a ^ b);
  }

  /** Mean absolute difference of two thumbnails of the same size, 0 to 255. */
  public static double meanAbsoluteDifference(byte[] a, byte[] b) {
    long sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += Math.abs((a[i] & 0xff) - (b[i] & 0xff));
    }
    return (double) sum / a.length;
  }

  /**
   * The variance of the image's Laplacian (4 neighbours), a common focus measure: high for sharp
   * edges, low for motion blur, defocus and flat fades.
   */
  public static double sharpness(byte[] gray, int width, int height) {
    if (width < 3 || height < 3) {
      return 0;
    }
    double sum = 0;
    double squares = 0;
    for (int y = 1; y < height - 1; y++) {
      int row = y * width;
      for (int x = 1; x < width - 1; x++) {
        int i = row + x;
        int laplacian = (gray[i - 1] & 0xff) + (gray[i + 1] & 0xff) + (gray[i - width] & 0xff)
            + (gray[i + width] & 0xff) - 4 * (gray[i] & 0xff);
        sum += laplacian;
        squares += (double) laplacian * laplacian;
      }
    }
    double n = (double) (width - 2) * (height - 2);
    double mean = sum / n;
    return squares / n - mean * mean;
  }
}
