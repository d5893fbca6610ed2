package io.reelset.media;

/**
 * Perceptual hashes and differences of small gray thumbnails (row-major, 8-bit).
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
}
