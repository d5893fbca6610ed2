package io.reelset.vision.cluster;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.tribuo.MutableDataset;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.hdbscan.HdbscanModel;
import org.tribuo.clustering.hdbscan.HdbscanTrainer;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Groups micro-clusters into identities: HDBSCAN and k-means from Tribuo, or average-linkage
 * agglomerative clustering with a distance cut. Labels are numbered by identity size (largest
 * first), then by the smallest member key, so the same input gives the same ids.
 */
public final class Clusterer {
  public static final int NOISE = -1;

  static {
    // Tribuo logs every training at INFO through java.util.logging
    Logger.getLogger("org.tribuo").setLevel(Level.WARNING);
  }

  private Clusterer() {}

  /** A label per micro-cluster of {@code sorted} (in its order): 0, 1, ... or {@link #NOISE}. */
  public static int[] cluster(List<MicroCluster> sorted, ClusterSettings given) {
    if (sorted.isEmpty()) {
      return new int[0];
    }
    ClusterSettings settings = given.forCount(sorted.stream().mapToLong(MicroCluster::count).sum());
    int[] raw = switch (settings.method()) {
      case HDBSCAN -> joinWithin(sorted, hdbscan(sorted, settings), settings.epsilon());
      case KMEANS -> kmeans(sorted, settings);
      case AGGLOMERATIVE -> agglomerative(sorted, settings);
    };
    return renumber(sorted, raw);
  }

  private static String[] featureNames(int dimension) {
    String[] names = new String[dimension];
    for (int i = 0; i < dimension; i++) {
      names[i] = String.format("f%04d", i);
    }
    return names;
  }

  private static MutableDataset<ClusterID> dataset() {
    return new MutableDataset<>(new SimpleDataSourceProvenance("micro-clusters", new ClusteringFactory()),
        new ClusteringFactory());
  }

  private static double[] centroid(MicroCluster c) {
    return c.centroid();
  }

  /**
   * HDBSCAN* over the micro-cluster centroids. Tribuo's HDBSCAN has no sample weights, so a
   * micro-cluster of n crops enters as min(n, min_cluster_size) copies of its centroid: a tight
   * group of at least min_cluster_size crops can form an identity on its own, and a lone crop
   * counts once.
   */
  private static int[] hdbscan(List<MicroCluster> sorted, ClusterSettings settings) {
    int minSize = Math.max(2, settings.minClusterSize());
    String[] names = featureNames(sorted.get(0).dimension());
    MutableDataset<ClusterID> data = dataset();
    List<Integer> owner = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      double[] centre = centroid(sorted.get(i));
      long copies = Math.min(sorted.get(i).count(), minSize);
      for (int c = 0; c < copies; c++) {
        data.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, centre));
        owner.add(i);
      }
    }
    int[] labels = new int[sorted.size()];
    Arrays.fill(labels, NOISE);
    int minSamples = Math.max(1, Math.min(settings.minSamples(), owner.size() - 1));
    if (owner.size() < minSize || owner.size() < 3) {
      return labels;
    }
    HdbscanTrainer trainer = new HdbscanTrainer(minSize, new L2Distance(), minSamples, 1,
        NeighboursQueryFactoryType.BRUTE_FORCE);
    HdbscanModel model = trainer.train(data, Map.<String, Provenance>of());
    List<Integer> found = model.getClusterLabels();
    // the copies of one centroid are at distance 0 from each other: take the first non-noise label
    for (int p = 0; p < found.size(); p++) {
      int label = found.get(p);
      int micro = owner.get(p);
      if (label != 0 && labels[micro] == NOISE) {
        labels[micro] = label;
      }
    }
    return labels;
  }

  /**
   * HDBSCAN's cluster selection epsilon, applied after the fact: clusters with members closer than
   * {@code epsilon} are one cluster, and a noise micro-cluster within {@code epsilon} of a cluster
   * joins it. Stops the excess-of-mass selection from splitting one identity into several tight
   * groups (expressions, poses) when those groups are near each other.
   */
  private static int[] joinWithin(List<MicroCluster> sorted, int[] labels, double epsilon) {
    if (epsilon <= 0) {
      return labels;
    }
    int n = sorted.size();
    double[][] centres = new double[n][];
    for (int i = 0; i < n; i++) {
      centres[i] = centroid(sorted.get(i));
    }
    double limit = epsilon * epsilon;
    Map<Integer, Integer> parent = new HashMap<>();
    for (int label : labels) {
      if (label != NOISE) {
        parent.put(label, label);
      }
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        if (labels[i] != NOISE && labels[j] != NOISE && labels[i] != labels[j]
            && Vectors.distanceSquared(centres[i], centres[j]) <= limit) {
          int a = root(parent, labels[i]);
          int b = root(parent, labels[j]);
          if (a != b) {
            parent.put(Math.max(a, b), Math.min(a, b));
          }
        }
      }
    }
    int[] joined = new int[n];
    for (int i = 0; i < n; i++) {
      joined[i] = labels[i] == NOISE ? NOISE : root(parent, labels[i]);
    }
    int[] result = joined.clone();
    for (int i = 0; i < n; i++) {
      if (joined[i] != NOISE) {
        continue;
      }
      double best = limit;
      for (int j = 0; j < n; j++) {
        if (joined[j] != NOISE) {
          double d = Vectors.distanceSquared(centres[i], centres[j]);
          if (d <= best) {
            best = d;
            result[i] = joined[j];
          }
        }
      }
    }
    return result;
  }

  private static int root(Map<Integer, Integer> parent, int label) {
    int r = label;
    while (parent.get(r) != r) {
      r = parent.get(r);
    }
    return r;
  }

  /** k-means++ starts tried; the one with the smallest weighted inertia is kept (as scikit-learn's n_init). */
  static final int KMEANS_STARTS = 10;

  /**
   * Weighted k-means (Tribuo, k-means++ start): each micro-cluster weighs its crop count; the best
   * of {@value #KMEANS_STARTS} seeded starts.
   */
  private static int[] kmeans(List<MicroCluster> sorted, ClusterSettings settings) {
    int k = Math.min(settings.k(), sorted.size());
    String[] names = featureNames(sorted.get(0).dimension());
    MutableDataset<ClusterID> data = dataset();
    double[][] points = new double[sorted.size()][];
    for (int i = 0; i < sorted.size(); i++) {
      MicroCluster c = sorted.get(i);
      points[i] = centroid(c);
      ArrayExample<ClusterID> example =
          new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names, points[i]);
      example.setWeight(c.count());
      data.add(example);
    }
    int[] best = null;
    double bestInertia = Double.MAX_VALUE;
    for (int start = 0; start < KMEANS_STARTS; start++) {
      KMeansTrainer trainer = new KMeansTrainer(k, 100, new L2Distance(), KMeansTrainer.Initialisation.PLUSPLUS,
          1, settings.seed() + start);
      DenseVector[] centres = trainer.train(data).getCentroidVectors();
      double[][] centre = new double[centres.length][];
      for (int c = 0; c < centres.length; c++) {
        centre[c] = centres[c].toArray();
      }
      int[] labels = new int[sorted.size()];
      double inertia = 0;
      for (int i = 0; i < sorted.size(); i++) {
        double nearest = Double.MAX_VALUE;
        for (int c = 0; c < centre.length; c++) {
          double d = Vectors.distanceSquared(points[i], centre[c]);
          if (d < nearest) {
            nearest = d;
            labels[i] = c;
          }
        }
        inertia += nearest * sorted.get(i).count();
      }
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = labels;
      }
    }
    return best;
  }

  /**
   * Average-linkage (UPGMA, weighted by crop counts) agglomerative clustering, merging while the
   * closest pair is nearer than the threshold; identities smaller than the minimum size are noise.
   */
  private static int[] agglomerative(List<MicroCluster> sorted, ClusterSettings settings) {
    int n = sorted.size();
    double[][] distance = new double[n][n];
    double[][] centres = new double[n][];
    for (int i = 0; i < n; i++) {
      centres[i] = centroid(sorted.get(i));
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        distance[i][j] = distance[j][i] = Math.sqrt(Vectors.distanceSquared(centres[i], centres[j]));
      }
    }
    int[] parent = new int[n];
    long[] weight = new long[n];
    boolean[] active = new boolean[n];
    for (int i = 0; i < n; i++) {
      parent[i] = i;
      weight[i] = sorted.get(i).count();
      active[i] = true;
    }
    while (true) {
      int a = -1;
      int b = -1;
      double best = Double.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        if (!active[i]) {
          continue;
        }
        for (int j = i + 1; j < n; j++) {
          if (active[j] && distance[i][j] < best) {
            best = distance[i][j];
            a = i;
            b = j;
          }
        }
      }
      if (a < 0 || best > settings.distanceThreshold()) {
        break;
      }
      for (int c = 0; c < n; c++) {
        if (active[c] && c != a && c != b) {
          double d = (weight[a] * distance[a][c] + weight[b] * distance[b][c]) / (weight[a] + weight[b]);
          distance[a][c] = distance[c][a] = d;
        }
      }
      weight[a] += weight[b];
      active[b] = false;
      parent[b] = a;
    }
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      int root = i;
      while (parent[root] != root) {
        root = parent[root];
      }
      labels[i] = weight[root] >= settings.minClusterSize() ? root : NOISE;
    }
    return labels;
  }

  /** Numbers clusters 0, 1, ... by size (descending), then by smallest member key. */
  private static int[] renumber(List<MicroCluster> sorted, int[] raw) {
    Map<Integer, long[]> sizes = new HashMap<>();
    Map<Integer, String> firstKeys = new HashMap<>();
    for (int i = 0; i < raw.length; i++) {
      if (raw[i] == NOISE) {
        continue;
      }
      sizes.computeIfAbsent(raw[i], l -> new long[1])[0] += sorted.get(i).count();
      String key = sorted.get(i).firstKey();
      firstKeys.merge(raw[i], key, (x, y) -> x.compareTo(y) <= 0 ? x : y);
    }
    List<Integer> order = new ArrayList<>(sizes.keySet());
    order.sort(Comparator.<Integer>comparingLong(l -> -sizes.get(l)[0]).thenComparing(firstKeys::get));
    Map<Integer, Integer> number = new HashMap<>();
    for (int i = 0; i < order.size(); i++) {
      number.put(order.get(i), i);
    }
    int[] labels = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      labels[i] = raw[i] == NOISE ? NOISE : number.get(raw[i]);
    }
    return labels;
  }
}
