package io.reelset.vision.cluster;

/** Small vector helpers for embeddings. */
public final class Vectors {
  private Vectors() {}

  /** Squared Euclidean distance. */
  public static double distanceSquared(float[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  /** Squared Euclidean distance. */
  public static double distanceSquared(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  /** Squared Euclidean distance. */
  public static double distanceSquared(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      sum += d * d;
    }
    return sum;
  }

  /** The vector as big-endian IEEE floats, 4 bytes each. */
  public static byte[] toBytes(float[] v) {
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(v.length * 4);
    bytes.asFloatBuffer().put(v);
    return bytes.array();
  }

  /** The vector {@link #toBytes} wrote. */
  public static float[] fromBytes(byte[] bytes) {
    float[] v = new float[bytes.length / 4];
    java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(v);
    return v;
  }

  /** Scales {@code v} in place to unit length; a zero vector stays zero. */
  public static float[] normalise(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float scale = (float) (1 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= scale;
      }
    }
    return v;
  }

  /** {@code sum / n} as floats. */
  public static float[] mean(double[] sum, double n) {
    float[] mean = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      mean[i] = (float) (sum[i] / n);
    }
    return mean;
  }
}
