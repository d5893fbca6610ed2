package io.reelset.vision;

import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import java.util.ArrayList;
import java.util.List;

/** Prints ARI and purity of palette embedder variants on {@link LabelledArt}: how the defaults were chosen. */
public final class PaletteTuning {
  public static void main(String[] args) throws Exception {
    List<LabelledArt.Crop> crops = LabelledArt.crops(Integer.parseInt(args.length > 0 ? args[0] : "24"), 7);
    System.out.println(crops.size() + " crops");
    int[][] variants = {{4, 8, 3}, {3, 6, 3}, {4, 8, 2}, {4, 8, 4}, {5, 10, 3}, {4, 6, 3}, {3, 8, 3}, {4, 8, 1}};
    for (int[] v : variants) {
      PaletteEmbedder embedder = new PaletteEmbedder(v[0], v[1], v[2]);
      long t0 = System.nanoTime();
      List<float[]> vectors = new ArrayList<>();
      for (LabelledArt.Crop c : crops) {
        vectors.add(embedder.embed(c.png()));
      }
      long t1 = System.nanoTime();
      for (int minSize : new int[] {5, 10}) {
        MicroClusters summary = new MicroClusters(512, 0);
        for (int i = 0; i < crops.size(); i++) {
          summary.add(crops.get(i).key(), vectors.get(i));
        }
        ClusterModel model = ClusterModel.build(summary, ClusterSettings.hdbscan(minSize));
        List<String> truth = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        int noise = 0;
        for (int i = 0; i < crops.size(); i++) {
          truth.add(crops.get(i).identity());
          ClusterModel.Assignment a = model.assign(vectors.get(i));
          predicted.add(a.identity());
          noise += a.isNoise() ? 1 : 0;
        }
        System.out.printf("bins %d/%d bands %d min %d: ARI %.3f purity %.3f identities %d noise %d (%.1f ms/crop)%n",
            v[0], v[1], v[2], minSize, ClusterQuality.adjustedRandIndex(truth, predicted),
            ClusterQuality.purity(truth, predicted), model.identities().size(), noise,
            (t1 - t0) / 1e6 / crops.size());
      }
    }
  }
}
