package io.reelset.stages.clustering;

import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.values.KV;

/**
 * Benchmark of the clustering summary as the stage builds it ({@link Summarise}): N embeddings
 * (generated on the fly around 50 identities, nothing kept) in {@code parts} videos, each video's
 * folded into its summary in key order, the videos' summaries folded into one, clustered with
 * HDBSCAN (default settings), and then every embedding is assigned. Prints the time of each step
 * and the heap the summaries hold. (The stage also holds one video's keys and embeddings at a time,
 * to sort them; here they come sorted.)
 *
 * <p>{@code java ClusteringBench COUNT [DIMENSION] [PARTS]}; see scripts/bench-clustering.sh.
 */
public final class ClusteringBench {
  private static final int IDENTITIES = 50;

  public static void main(String[] args) {
    long count = Long.parseLong(args[0]);
    int dimension = args.length > 1 ? Integer.parseInt(args[1]) : 128;
    int parts = args.length > 2 ? Integer.parseInt(args[2]) : 8;
    Random centresRandom = new Random(1);
    float[][] centres = new float[IDENTITIES][dimension];
    for (float[] c : centres) {
      for (int d = 0; d < dimension; d++) {
        c[d] = (float) centresRandom.nextGaussian();
      }
      Vectors.normalise(c);
    }
    long t0 = System.nanoTime();
    List<KV<String, MicroClusters>> videos = new ArrayList<>();
    Random random = new Random(2);
    long perVideo = (count + parts - 1) / parts;
    for (long i = 0; i < count; i++) {
      if (i % perVideo == 0) {
        videos.add(KV.of(String.format("video%04d", videos.size()), new MicroClusters(256, 0.05)));
      }
      videos.get(videos.size() - 1).getValue().add(String.format("f%012d", i), point(centres, random, dimension));
    }
    long t1 = System.nanoTime();
    long live = liveHeap();
    MicroClusters summary = Summarise.fold(videos, 256, 0.05);
    long t2 = System.nanoTime();
    ClusterModel model = ClusterModel.build(summary, ClusterSettings.defaults());
    long t3 = System.nanoTime();
    Random again = new Random(2);
    long noise = 0;
    for (long i = 0; i < count; i++) {
      noise += model.assign(point(centres, again, dimension)).isNoise() ? 1 : 0;
    }
    long t4 = System.nanoTime();
    System.out.printf("%d embeddings of %d dims, %d videos: summarise %.2f s, merge %.2f s, cluster %.2f s,"
            + " assign %.2f s, total %.2f s; %d micro-clusters, %d identities, %d noise; live heap after summarising %d MiB%n",
        count, dimension, parts, (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9,
        (t4 - t0) / 1e9, summary.clusters().size(), model.identities().size(), noise, live >> 20);
  }

  private static float[] point(float[][] centres, Random random, int dimension) {
    float[] centre = centres[random.nextInt(centres.length)];
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = centre[d] + (float) (random.nextGaussian() * 0.03);
    }
    return Vectors.normalise(v);
  }

  /** Heap in use after a full collection: what the accumulators really hold. */
  private static long liveHeap() {
    System.gc();
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }
}
