package io.reelset.stages.clustering;

import io.reelset.values.CharacterCrop;
import io.reelset.values.EmbeddedCrop;
import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark of the clustering Combine as a runner drives it: N embeddings (generated on the fly
 * around 50 identities, nothing kept) go through {@link MicroClusterFn} in {@code parts}
 * accumulators, which are merged, clustered with HDBSCAN (default settings) and then every
 * embedding is assigned. Prints the time of each step and the heap the accumulators hold.
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
    CharacterCrop template = new CharacterCrop("f", "v", 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, new byte[0]);
    MicroClusterFn fn = new MicroClusterFn(256, 0.05);
    long t0 = System.nanoTime();
    List<MicroClusters> accumulators = new ArrayList<>();
    Random random = new Random(2);
    for (int p = 0; p < parts; p++) {
      accumulators.add(fn.createAccumulator());
    }
    for (long i = 0; i < count; i++) {
      float[] v = point(centres, random, dimension);
      CharacterCrop crop = new CharacterCrop("f" + i, template.videoKey(), 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, template.png());
      fn.addInput(accumulators.get((int) (i % parts)), new EmbeddedCrop(crop, v));
    }
    long t1 = System.nanoTime();
    long live = liveHeap();
    MicroClusters summary = fn.extractOutput(fn.mergeAccumulators(accumulators));
    long t2 = System.nanoTime();
    ClusterModel model = ClusterModel.build(summary, ClusterSettings.defaults());
    long t3 = System.nanoTime();
    Random again = new Random(2);
    long noise = 0;
    for (long i = 0; i < count; i++) {
      noise += model.assign(point(centres, again, dimension)).isNoise() ? 1 : 0;
    }
    long t4 = System.nanoTime();
    System.out.printf("%d embeddings of %d dims, %d accumulators: summarise %.2f s, merge %.2f s, cluster %.2f s,"
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
