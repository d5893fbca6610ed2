package io.reelset.vision.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A bounded summary of any number of embeddings: at most {@code capacity} {@link MicroCluster}s.
 *
 * <p>An embedding joins the nearest micro-cluster whose centroid lies within the absorption radius,
 * or starts a new one. When there are more than {@code capacity}, the radius grows (to at least the
 * median distance between neighbouring micro-clusters) and micro-clusters within it of a larger
 * one are folded into it, until at most three quarters of the capacity remain. Two summaries merge
 * the same way, so memory stays flat however many embeddings arrive and summaries built in parallel
 * can be combined in any order. The fine structure depends on arrival order; the clusters found on
 * top of it do not, as long as the radius stays well below the distance between identities.
 */
public final class MicroClusters implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int capacity;
  private double radius;
  private final List<MicroCluster> clusters = new ArrayList<>();
  private transient List<double[]> centroids;

  /**
   * @param capacity the most micro-clusters kept
   * @param radius the initial absorption radius (Euclidean); 0 keeps every distinct embedding apart
   *     until the capacity is reached
   */
  public MicroClusters(int capacity, double radius) {
    if (capacity < 2) {
      throw new IllegalArgumentException("capacity must be at least 2, got " + capacity);
    }
    this.capacity = capacity;
    this.radius = radius;
  }

  public int capacity() {
    return capacity;
  }

  public double radius() {
    return radius;
  }

  /** The micro-clusters, in no particular order. */
  public List<MicroCluster> clusters() {
    return clusters;
  }

  /** The micro-clusters ordered by their smallest member key: the same set gives the same list. */
  public List<MicroCluster> sorted() {
    List<MicroCluster> sorted = new ArrayList<>(clusters);
    sorted.sort(Comparator.comparing(MicroCluster::firstKey));
    return sorted;
  }

  public boolean isEmpty() {
    return clusters.isEmpty();
  }

  /** The number of embeddings summarised. */
  public long count() {
    long n = 0;
    for (MicroCluster c : clusters) {
      n += c.count();
    }
    return n;
  }

  public int dimension() {
    return clusters.isEmpty() ? 0 : clusters.get(0).dimension();
  }

  public void add(String key, float[] embedding) {
    checkDimension(embedding.length);
    List<double[]> cs = centroids();
    int nearest = -1;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < cs.size(); i++) {
      double d = Vectors.distanceSquared(embedding, cs.get(i));
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
    if (nearest >= 0 && best <= radius * radius) {
      MicroCluster c = clusters.get(nearest);
      c.add(key, embedding);
      cs.set(nearest, c.centroid());
    } else {
      MicroCluster c = MicroCluster.of(key, embedding);
      clusters.add(c);
      cs.add(c.centroid());
    }
    if (clusters.size() > capacity) {
      compact();
    }
  }

  /** Puts back a micro-cluster as it was (decoding); no folding, no compaction. */
  public void restore(MicroCluster cluster) {
    checkDimension(cluster.dimension());
    clusters.add(cluster);
    centroids = null;
  }

  /** Adds every micro-cluster of {@code other} (which is left as it was). */
  public void merge(MicroClusters other) {
    if (other.isEmpty()) {
      return;
    }
    checkDimension(other.dimension());
    radius = Math.max(radius, other.radius);
    for (MicroCluster c : other.clusters) {
      add(c.copy());
    }
  }

  /** Adds a micro-cluster, folding it into the nearest one within the radius. */
  public void add(MicroCluster cluster) {
    checkDimension(cluster.dimension());
    List<double[]> cs = centroids();
    double[] centre = cluster.centroid();
    int nearest = nearest(cs, centre);
    if (nearest >= 0 && Vectors.distanceSquared(centre, cs.get(nearest)) <= radius * radius) {
      clusters.get(nearest).absorb(cluster);
      cs.set(nearest, clusters.get(nearest).centroid());
    } else {
      clusters.add(cluster);
      cs.add(centre);
    }
    if (clusters.size() > capacity) {
      compact();
    }
  }

  private void checkDimension(int dimension) {
    if (!clusters.isEmpty() && dimension != dimension()) {
      throw new IllegalArgumentException(
          "embeddings of different sizes: " + dimension + " and " + dimension());
    }
  }

  private List<double[]> centroids() {
    if (centroids == null) {
      centroids = new ArrayList<>(clusters.size());
      for (MicroCluster c : clusters) {
        centroids.add(c.centroid());
      }
    }
    return centroids;
  }

  private static int nearest(List<double[]> among, double[] point) {
    int nearest = -1;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < among.size(); i++) {
      double d = Vectors.distanceSquared(point, among.get(i));
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
    return nearest;
  }

  /** Grows the radius and folds micro-clusters together until at most 3/4 of the capacity remain. */
  private void compact() {
    while (clusters.size() > capacity * 3 / 4) {
      radius = Math.max(radius * 1.25, medianNeighbourDistance());
      List<MicroCluster> order = new ArrayList<>(clusters);
      order.sort(Comparator.comparingLong(MicroCluster::count).reversed()
          .thenComparing(MicroCluster::firstKey));
      List<MicroCluster> leaders = new ArrayList<>();
      List<double[]> leaderCentres = new ArrayList<>();
      for (MicroCluster c : order) {
        double[] centre = c.centroid();
        int nearest = nearest(leaderCentres, centre);
        if (nearest >= 0 && Vectors.distanceSquared(centre, leaderCentres.get(nearest)) <= radius * radius) {
          leaders.get(nearest).absorb(c);
        } else {
          leaders.add(c);
          leaderCentres.add(centre);
        }
      }
      clusters.clear();
      clusters.addAll(leaders);
      centroids = null;
    }
  }

  private double medianNeighbourDistance() {
    List<double[]> cs = centroids();
    double[] nearest = new double[cs.size()];
    Arrays.fill(nearest, Double.MAX_VALUE);
    for (int i = 0; i < cs.size(); i++) {
      for (int j = i + 1; j < cs.size(); j++) {
        double d = Vectors.distanceSquared(cs.get(i), cs.get(j));
        nearest[i] = Math.min(nearest[i], d);
        nearest[j] = Math.min(nearest[j], d);
      }
    }
    Arrays.sort(nearest);
    return Math.sqrt(nearest[nearest.length / 2]);
  }

  /**
   * A summary in which every labelled group of {@code sorted} is one micro-cluster and every noise
   * micro-cluster stays as it is: how a per-video clustering enters the global one.
   */
  public static MicroClusters grouped(List<MicroCluster> sorted, int[] labels, int capacity, double radius) {
    MicroClusters grouped = new MicroClusters(capacity, radius);
    java.util.Map<Integer, MicroCluster> groups = new java.util.TreeMap<>();
    for (int i = 0; i < sorted.size(); i++) {
      if (labels[i] == Clusterer.NOISE) {
        grouped.clusters.add(sorted.get(i).copy());
      } else {
        MicroCluster group = groups.get(labels[i]);
        if (group == null) {
          groups.put(labels[i], sorted.get(i).copy());
        } else {
          group.absorb(sorted.get(i));
        }
      }
    }
    grouped.clusters.addAll(groups.values());
    grouped.centroids = null;
    while (grouped.clusters.size() > capacity) {
      grouped.compact();
    }
    return grouped;
  }

  @Override
  public String toString() {
    return "MicroClusters{" + clusters.size() + " of " + capacity + ", " + count() + " embeddings, radius " + radius + "}";
  }
}
