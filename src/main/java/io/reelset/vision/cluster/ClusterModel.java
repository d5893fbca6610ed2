package io.reelset.vision.cluster;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of clustering: every micro-cluster's centroid and label, and per identity its name,
 * centroid and size. A crop is assigned the label of its nearest micro-cluster, so identities keep
 * the shape HDBSCAN found rather than becoming spheres around their means.
 */
public final class ClusterModel implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The identity of a crop that belongs to no cluster. */
  public static final String NOISE = "noise";

  private final float[][] microCentroids;
  private final int[] microLabels;
  private final String[] names;
  private final float[][] centroids;
  private final long[] sizes;

  /** A crop's identity, its distance from the identity's centre and from the nearest other one. */
  public record Assignment(String identity, double distance, double nearestOtherDistance) implements Serializable {
    public boolean isNoise() {
      return identity.equals(NOISE);
    }
  }

  /** One identity as the model sees it. */
  public record Identity(String name, long size, float[] centroid) implements Serializable {}

  private ClusterModel(float[][] microCentroids, int[] microLabels, String[] names, float[][] centroids,
      long[] sizes) {
    this.microCentroids = microCentroids;
    this.microLabels = microLabels;
    this.names = names;
    this.centroids = centroids;
    this.sizes = sizes;
  }

  /** Equal when every centroid, label, name and size is. */
  @Override
  public boolean equals(Object other) {
    return other instanceof ClusterModel m && java.util.Arrays.deepEquals(m.microCentroids, microCentroids)
        && java.util.Arrays.equals(m.microLabels, microLabels) && java.util.Arrays.equals(m.names, names)
        && java.util.Arrays.deepEquals(m.centroids, centroids) && java.util.Arrays.equals(m.sizes, sizes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(names) * 31 + java.util.Arrays.hashCode(sizes);
  }

  /** Writes the model: every array in order, lengths first; equal models give equal bytes. */
  public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
    writeMatrix(microCentroids, out);
    out.writeInt(microLabels.length);
    for (int label : microLabels) {
      out.writeInt(label);
    }
    out.writeInt(names.length);
    for (String name : names) {
      out.writeUTF(name);
    }
    writeMatrix(centroids, out);
    out.writeInt(sizes.length);
    for (long size : sizes) {
      out.writeLong(size);
    }
  }

  /** Reads what {@link #writeTo} wrote. */
  public static ClusterModel readFrom(java.io.DataInputStream in) throws java.io.IOException {
    float[][] micro = readMatrix(in);
    int[] labels = new int[in.readInt()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = in.readInt();
    }
    String[] names = new String[in.readInt()];
    for (int i = 0; i < names.length; i++) {
      names[i] = in.readUTF();
    }
    float[][] centroids = readMatrix(in);
    long[] sizes = new long[in.readInt()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = in.readLong();
    }
    return new ClusterModel(micro, labels, names, centroids, sizes);
  }

  private static void writeMatrix(float[][] rows, java.io.DataOutputStream out) throws java.io.IOException {
    out.writeInt(rows.length);
    for (float[] row : rows) {
      io.reelset.values.EmbeddedCropCoder.writeFloats(row, out);
    }
  }

  private static float[][] readMatrix(java.io.DataInputStream in) throws java.io.IOException {
    float[][] rows = new float[in.readInt()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = io.reelset.values.EmbeddedCropCoder.readFloats(in);
    }
    return rows;
  }

  public static ClusterModel empty() {
    return new ClusterModel(new float[0][], new int[0], new String[0], new float[0][], new long[0]);
  }

  /** The identity name of label {@code i}: {@code identity_001} for the largest. */
  public static String name(int label) {
    return String.format("identity_%03d", label + 1);
  }

  /** Clusters the summary's micro-clusters and builds the model. */
  public static ClusterModel build(MicroClusters summary, ClusterSettings settings) {
    List<MicroCluster> sorted = summary.sorted();
    if (sorted.isEmpty()) {
      return empty();
    }
    int[] labels = Clusterer.cluster(sorted, settings);
    return of(sorted, labels);
  }

  /** A model from micro-clusters and their labels ({@link Clusterer#NOISE} or 0, 1, ...). */
  public static ClusterModel of(List<MicroCluster> micro, int[] labels) {
    int identities = 0;
    for (int label : labels) {
      identities = Math.max(identities, label + 1);
    }
    int dimension = micro.isEmpty() ? 0 : micro.get(0).dimension();
    double[][] sums = new double[identities][dimension];
    long[] sizes = new long[identities];
    float[][] microCentroids = new float[micro.size()][];
    for (int i = 0; i < micro.size(); i++) {
      MicroCluster c = micro.get(i);
      microCentroids[i] = Vectors.mean(c.sum(), c.count());
      if (labels[i] != Clusterer.NOISE) {
        sizes[labels[i]] += c.count();
        for (int d = 0; d < dimension; d++) {
          sums[labels[i]][d] += c.sum()[d];
        }
      }
    }
    String[] names = new String[identities];
    float[][] centroids = new float[identities][];
    for (int i = 0; i < identities; i++) {
      names[i] = name(i);
      centroids[i] = Vectors.mean(sums[i], Math.max(1, sizes[i]));
    }
    return new ClusterModel(microCentroids, labels.clone(), names, centroids, sizes);
  }

  public boolean isEmpty() {
    return names.length == 0;
  }

  public int microClusterCount() {
    return microCentroids.length;
  }

  public List<Identity> identities() {
    List<Identity> list = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      list.add(new Identity(names[i], sizes[i], centroids[i]));
    }
    return list;
  }

  public Assignment assign(float[] embedding) {
    int nearest = -1;
    double best = Double.MAX_VALUE;
    for (int i = 0; i < microCentroids.length; i++) {
      if (microCentroids[i].length != embedding.length) {
        throw new IllegalArgumentException("embedding of size " + embedding.length
            + " does not match the model's " + microCentroids[i].length);
      }
      double d = Vectors.distanceSquared(embedding, microCentroids[i]);
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
    if (nearest < 0 || microLabels[nearest] == Clusterer.NOISE) {
      return new Assignment(NOISE, nearest < 0 ? Double.NaN : Math.sqrt(best), Double.NaN);
    }
    int label = microLabels[nearest];
    double own = Math.sqrt(Vectors.distanceSquared(embedding, centroids[label]));
    double other = Double.NaN;
    for (int i = 0; i < centroids.length; i++) {
      if (i != label) {
        double d = Math.sqrt(Vectors.distanceSquared(embedding, centroids[i]));
        other = Double.isNaN(other) ? d : Math.min(other, d);
      }
    }
    return new Assignment(names[label], own, other);
  }
}
