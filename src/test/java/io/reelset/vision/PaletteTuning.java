package io.reelset.vision;

import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import java.util.ArrayList;
import java.util.List;

/**
 * How the palette embedder's bins and bands were chosen: ARI and purity of variants on
 * {@link LabelledArt} with the stage's default clustering, and 1-nearest-neighbour accuracy (how
 * well the embedding alone separates identities).
 *
 * <pre>java -cp ... io.reelset.vision.PaletteTuning [CROPS_PER_IDENTITY]</pre>
 */
public final class PaletteTuning {
  public static void main(String[] args) throws Exception {
    List<LabelledArt.Crop> crops = LabelledArt.crops(Integer.parseInt(args.length > 0 ? args[0] : "24"), 7);
    System.out.println(crops.size() + " crops of " + LabelledArt.identities().size() + " identities");
    int[][] variants = {{4, 12, 3}, {4, 8, 3}, {4, 12, 2}, {4, 8, 2}, {4, 10, 2}, {3, 12, 2}, {4, 12, 4}, {4, 12, 1}};
    for (int[] v : variants) {
      PaletteEmbedder embedder = new PaletteEmbedder(v[0], v[1], v[2]);
      List<float[]> vectors = new ArrayList<>();
      for (LabelledArt.Crop c : crops) {
        vectors.add(embedder.embed(c.png()));
      }
      int nearestRight = 0;
      for (int i = 0; i < vectors.size(); i++) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int j = 0; j < vectors.size(); j++) {
          double d = j == i ? Double.MAX_VALUE : io.reelset.vision.cluster.Vectors.distanceSquared(vectors.get(i),
              vectors.get(j));
          if (d < bestDistance) {
            bestDistance = d;
            best = j;
          }
        }
        nearestRight += crops.get(best).identity().equals(crops.get(i).identity()) ? 1 : 0;
      }
      MicroClusters summary = new MicroClusters(256, 0.05);
      for (int i = 0; i < crops.size(); i++) {
        summary.add(crops.get(i).key(), vectors.get(i));
      }
      ClusterModel model = ClusterModel.build(summary, ClusterSettings.defaults());
      List<String> truth = new ArrayList<>();
      List<String> predicted = new ArrayList<>();
      for (int i = 0; i < crops.size(); i++) {
        truth.add(crops.get(i).identity());
        predicted.add(model.assign(vectors.get(i)).identity());
      }
      System.out.printf("L %d, a/b %d, bands %d (%d dims): 1-NN %.3f, ARI %.3f, purity %.3f, %d identities%n",
          v[0], v[1], v[2], embedder.dimension(), (double) nearestRight / crops.size(),
          ClusterQuality.adjustedRandIndex(truth, predicted), ClusterQuality.purity(truth, predicted),
          model.identities().size());
    }
  }
}
