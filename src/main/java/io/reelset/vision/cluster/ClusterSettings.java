package io.reelset.vision.cluster;

import java.io.Serializable;

/**
 * How micro-clusters are grouped into identities.
 *
 * @param method the algorithm
 * @param minClusterSize the fewest crops an identity may have (HDBSCAN's minimum cluster size;
 *     smaller agglomerative clusters become noise)
 * @param minSamples HDBSCAN's neighbourhood for core distances
 * @param k the number of identities for k-means
 * @param distanceThreshold the agglomerative (average linkage) cut
 * @param epsilon HDBSCAN clusters closer than this are joined, and noise this close joins them
 * @param seed the k-means seed
 */
public record ClusterSettings(Method method, int minClusterSize, int minSamples, int k,
    double distanceThreshold, double epsilon, long seed) implements Serializable {

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
