package io.reelset.vision.cluster;

import java.io.Serializable;

/**
 * How micro-clusters are grouped into identities.
 *
 * @param method the algorithm
 * @param minClusterSize the fewest crops an identity may have (HDBSCAN's minimum cluster size;
 *     smaller agglomerative clusters become noise); {@link #AUTO} to take it from the number of
 *     crops clustered ({@link #forCount})
 * @param minSamples HDBSCAN's neighbourhood for core distances
 * @param k the number of identities for k-means
 * @param distanceThreshold the agglomerative (average linkage) cut
 * @param epsilon HDBSCAN clusters closer than this are joined, and noise this close joins them
 * @param seed the k-means seed
 */
public record ClusterSettings(Method method, int minClusterSize, int minSamples, int k,
    double distanceThreshold, double epsilon, long seed) implements Serializable {

  /** {@code minClusterSize} that follows the number of crops: a 25th of them, from 3 to 10. */
  public static final int AUTO = 0;

  /** These settings for {@code crops} crops: an {@link #AUTO} minimum cluster size resolved. */
  public ClusterSettings forCount(long crops) {
    if (minClusterSize != AUTO) {
      return this;
    }
    return new ClusterSettings(method, autoSize(crops), minSamples, k, distanceThreshold, epsilon, seed);
  }

  /** The minimum cluster size {@link #AUTO} gives for {@code crops} crops. */
  public static int autoSize(long crops) {
    return (int) Math.max(3, Math.min(10, crops / 25));
  }

  /** The final clustering algorithm. */
  public enum Method { HDBSCAN, KMEANS, AGGLOMERATIVE }

  /** The clustering stage's defaults: HDBSCAN, min_cluster_size 10, min_samples 3, epsilon 0.4. */
  public static ClusterSettings defaults() {
    return new ClusterSettings(Method.HDBSCAN, 10, 3, 0, 0, 0.4, 0);
  }

  public static ClusterSettings hdbscan(int minClusterSize) {
    return new ClusterSettings(Method.HDBSCAN, minClusterSize, minClusterSize, 0, 0, 0, 0);
  }

  public static ClusterSettings kmeans(int k) {
    return new ClusterSettings(Method.KMEANS, 1, 1, k, 0, 0, 1);
  }

  public static ClusterSettings agglomerative(double threshold, int minClusterSize) {
    return new ClusterSettings(Method.AGGLOMERATIVE, minClusterSize, 1, 0, threshold, 0, 0);
  }
}
