package io.reelset.vision.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * A summary of nearby embeddings: their count, linear sum and sum of squared norms (the clustering
 * feature of BIRCH), and the smallest few of their keys. Two summaries merge by adding, so the
 * order in which embeddings arrive does not change a micro-cluster's statistics.
 */
public final class MicroCluster implements Serializable {
  private static final long serialVersionUID = 1L;
  /** How many member keys a micro-cluster keeps (the smallest ones). */
  public static final int KEYS = 3;

  private long count;
  private final double[] sum;
  private double sumOfSquares;
  private final TreeSet<String> keys;

  public MicroCluster(long count, double[] sum, double sumOfSquares, List<String> keys) {
    this.count = count;
    this.sum = sum;
    this.sumOfSquares = sumOfSquares;
    this.keys = new TreeSet<>(keys);
    trimKeys();
  }

  /** A micro-cluster of one embedding. */
  public static MicroCluster of(String key, float[] embedding) {
    double[] sum = new double[embedding.length];
    double squares = 0;
    for (int i = 0; i < embedding.length; i++) {
      sum[i] = embedding[i];
      squares += (double) embedding[i] * embedding[i];
    }
    return new MicroCluster(1, sum, squares, List.of(key));
  }

  public void add(String key, float[] embedding) {
    count++;
    for (int i = 0; i < embedding.length; i++) {
      sum[i] += embedding[i];
      sumOfSquares += (double) embedding[i] * embedding[i];
    }
    keys.add(key);
    trimKeys();
  }

  public void absorb(MicroCluster other) {
    count += other.count;
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    sumOfSquares += other.sumOfSquares;
    keys.addAll(other.keys);
    trimKeys();
  }

  private void trimKeys() {
    while (keys.size() > KEYS) {
      keys.pollLast();
    }
  }

  public long count() {
    return count;
  }

  public double[] sum() {
    return sum;
  }

  public double sumOfSquares() {
    return sumOfSquares;
  }

  /** The member keys kept, smallest first. */
  public List<String> keys() {
    return new ArrayList<>(keys);
  }

  /** The smallest member key. */
  public String firstKey() {
    return keys.first();
  }

  public int dimension() {
    return sum.length;
  }

  public double[] centroid() {
    double[] c = new double[sum.length];
    for (int i = 0; i < sum.length; i++) {
      c[i] = sum[i] / count;
    }
    return c;
  }

  /** Root mean squared distance of the members from the centroid. */
  public double radius() {
    double centroidNorm = 0;
    for (double s : sum) {
      centroidNorm += (s / count) * (s / count);
    }
    return Math.sqrt(Math.max(0, sumOfSquares / count - centroidNorm));
  }

  public MicroCluster copy() {
    return new MicroCluster(count, sum.clone(), sumOfSquares, new ArrayList<>(keys));
  }
}
