package io.reelset.vision.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.vision.ClusterQuality;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Micro-cluster summaries and the three final clusterings on synthetic identities. */
class ClusteringMathTest {
  private static final int DIM = 32;

  /** A point: its key, true identity and unit-length embedding. */
  record Point(String key, String truth, float[] v) {}

  /**
   * {@code identities} tight groups of {@code per} points around unit centres in one region of the
   * sphere (about 0.5 apart, as characters are), plus outliers in random directions (far from all).
   */
  static List<Point> blobs(int identities, int per, int outliers, long seed) {
    Random random = new Random(seed);
    List<Point> points = new ArrayList<>();
    float[] region = new float[DIM];
    region[0] = 1;
    for (int c = 0; c < identities; c++) {
      float[] centre = region.clone();
      for (int d = 0; d < DIM; d++) {
        centre[d] += (float) (random.nextGaussian() * 0.08);
      }
      Vectors.normalise(centre);
      for (int i = 0; i < per; i++) {
        float[] v = centre.clone();
        for (int d = 0; d < DIM; d++) {
          v[d] += (float) (random.nextGaussian() * 0.02);
        }
        points.add(new Point(String.format("c%02d-%04d", c, i), "c" + c, Vectors.normalise(v)));
      }
    }
    for (int o = 0; o < outliers; o++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      v[0] = -Math.abs(v[0]);
      points.add(new Point(String.format("z-%04d", o), "outlier" + o, Vectors.normalise(v)));
    }
    return points;
  }

  /** Summarises the points split into {@code parts} accumulators in a shuffled order, merged in a shuffled order. */
  static MicroClusters summarise(List<Point> points, int parts, int capacity, long seed) {
    List<Point> shuffled = new ArrayList<>(points);
    Collections.shuffle(shuffled, new Random(seed));
    List<MicroClusters> accumulators = new ArrayList<>();
    for (int p = 0; p < parts; p++) {
      accumulators.add(new MicroClusters(capacity, 0.05));
    }
    for (int i = 0; i < shuffled.size(); i++) {
      accumulators.get(i % parts).add(shuffled.get(i).key(), shuffled.get(i).v());
    }
    Collections.shuffle(accumulators, new Random(seed + 1));
    // merge pairwise as a runner's combine tree would, then fold what is left
    while (accumulators.size() > 1) {
      MicroClusters a = accumulators.remove(accumulators.size() - 1);
      MicroClusters b = accumulators.remove(accumulators.size() - 1);
      MicroClusters merged = new MicroClusters(capacity, 0.05);
      merged.merge(b);
      merged.merge(a);
      accumulators.add(0, merged);
    }
    return accumulators.get(0);
  }

  static List<String> assign(ClusterModel model, List<Point> points) {
    List<String> ids = new ArrayList<>();
    for (Point p : points) {
      ids.add(model.assign(p.v()).identity());
    }
    return ids;
  }

  static List<String> truth(List<Point> points) {
    return points.stream().map(Point::truth).toList();
  }

  @Test
  void theSameIdentitiesHoweverTheInputIsSplitAndMerged() {
    List<Point> points = blobs(6, 150, 0, 1);
    List<String> reference = null;
    for (int parts : new int[] {1, 2, 5, 17, 60}) {
      for (long seed : new long[] {3, 4}) {
        MicroClusters summary = summarise(points, parts, 48, seed);
        assertEquals(points.size(), summary.count(), "no embedding lost or counted twice");
        assertTrue(summary.clusters().size() <= 48, "bounded by the capacity");
        List<String> ids = assign(ClusterModel.build(summary, ClusterSettings.hdbscan(10)), points);
        assertEquals(1.0, ClusterQuality.adjustedRandIndex(truth(points), ids), 1e-9, parts + " parts, seed " + seed);
        if (reference == null) {
          reference = ids;
        }
        assertEquals(reference, ids, "the same ids (ordered by size, then smallest key) for " + parts + " parts");
      }
    }
  }

  @Test
  void memoryStaysBoundedAsTheCountGrows() {
    MicroClusters summary = new MicroClusters(64, 0);
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      float[] v = new float[DIM];
      for (int d = 0; d < DIM; d++) {
        v[d] = (float) random.nextGaussian();
      }
      summary.add("k" + i, Vectors.normalise(v));
      assertTrue(summary.clusters().size() <= 64);
    }
    assertEquals(20_000, summary.count());
  }

  @Test
  void hdbscanLeavesOutliersAsNoise() {
    List<Point> points = blobs(4, 60, 5, 2);
    ClusterModel model = ClusterModel.build(summarise(points, 3, 256, 1), ClusterSettings.hdbscan(10));
    assertEquals(4, model.identities().size());
    List<String> ids = assign(model, points);
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).truth().startsWith("outlier")) {
        assertEquals(ClusterModel.NOISE, ids.get(i), points.get(i).key());
      } else {
        assertTrue(ids.get(i).startsWith("identity_"), points.get(i).key());
      }
    }
    List<String> inliers = new ArrayList<>();
    List<String> inlierIds = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      if (!points.get(i).truth().startsWith("outlier")) {
        inliers.add(points.get(i).truth());
        inlierIds.add(ids.get(i));
      }
    }
    assertEquals(1.0, ClusterQuality.adjustedRandIndex(inliers, inlierIds), 1e-9);
  }

  @Test
  void kmeansFindsKIdentities() {
    List<Point> points = blobs(5, 40, 0, 3);
    ClusterModel model = ClusterModel.build(summarise(points, 4, 128, 2), ClusterSettings.kmeans(5));
    assertEquals(5, model.identities().size());
    assertEquals(1.0, ClusterQuality.adjustedRandIndex(truth(points), assign(model, points)), 1e-9);
  }

  @Test
  void agglomerativeCutsAtTheThresholdAndSmallGroupsAreNoise() {
    List<Point> points = new ArrayList<>(blobs(3, 30, 0, 4));
    points.addAll(blobs(1, 3, 0, 99).stream().map(p -> new Point("small-" + p.key(), "small", p.v())).toList());
    ClusterModel model = ClusterModel.build(summarise(points, 2, 256, 3), ClusterSettings.agglomerative(0.3, 5));
    assertEquals(3, model.identities().size());
    List<String> ids = assign(model, points);
    for (int i = 0; i < points.size(); i++) {
      assertEquals(points.get(i).truth().equals("small"), ids.get(i).equals(ClusterModel.NOISE), points.get(i).key());
    }
  }

  @Test
  void identitiesAreNumberedBySizeThenSmallestKey() {
    List<Point> points = new ArrayList<>();
    List<Point> big = blobs(1, 50, 0, 10);
    List<Point> small = blobs(1, 20, 0, 11);
    small.forEach(p -> points.add(new Point("a-" + p.key(), "small", p.v())));
    big.forEach(p -> points.add(new Point("b-" + p.key(), "big", p.v())));
    ClusterModel model = ClusterModel.build(summarise(points, 1, 256, 1), ClusterSettings.hdbscan(5));
    assertEquals("identity_001", model.assign(big.get(0).v()).identity(), "the larger identity comes first");
    assertEquals("identity_002", model.assign(small.get(0).v()).identity());
    assertEquals(50, model.identities().get(0).size());
  }

  @Test
  void anEmptySummaryGivesAnEmptyModelThatCallsEverythingNoise() {
    ClusterModel model = ClusterModel.build(new MicroClusters(64, 0.05), ClusterSettings.hdbscan(10));
    assertTrue(model.isEmpty());
    assertEquals(ClusterModel.NOISE, model.assign(new float[] {1, 0}).identity());
  }

  @Test
  void fewerCropsThanTheMinimumSizeAreNoise() {
    List<Point> points = blobs(1, 4, 0, 6);
    ClusterModel model = ClusterModel.build(summarise(points, 1, 64, 1), ClusterSettings.hdbscan(10));
    assertTrue(model.isEmpty());
  }

  @Test
  void perVideoClustersEnterTheGlobalMergeAsOneMicroClusterEach() {
    List<Point> points = blobs(3, 40, 0, 8);
    MicroClusters video = summarise(points, 1, 256, 1);
    List<MicroCluster> sorted = video.sorted();
    int[] labels = Clusterer.cluster(sorted, ClusterSettings.hdbscan(10));
    MicroClusters grouped = MicroClusters.grouped(sorted, labels, 256, 0.05);
    assertEquals(3, grouped.clusters().size());
    assertEquals(points.size(), grouped.count());
  }
}
