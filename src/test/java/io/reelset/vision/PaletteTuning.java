package io.reelset.vision;

import io.reelset.vision.cluster.ClusterModel;
import io.reelset.vision.cluster.ClusterSettings;
import io.reelset.vision.cluster.MicroClusters;
import io.reelset.vision.cluster.Vectors;
import java.util.ArrayList;
import java.util.List;

/**
 * How the palette embedder's layout, bins and power and the default HDBSCAN epsilon were chosen:
 * ARI and purity of variants on seven sets of {@link LabelledArt} crops (the layout, bins, power
 * and epsilon were chosen on the first four; the last three were made afterwards to check them,
 * and only the width of the centre, 60 % rather than 50 %, was then picked on all seven: 0.920
 * against 0.916), and leave-sprite-out nearest-neighbour
 * accuracy (the share of crops whose nearest crop of another sprite, i.e. another pose or
 * expression, is the same identity: how well the embedding alone tells identities apart).
 *
 * <pre>java -Xss4m -cp ... io.reelset.vision.PaletteTuning</pre>
 */
public final class PaletteTuning {
  /** Crops per identity and seed of each set. */
  static final int[][] SETS = {{24, 7}, {24, 11}, {36, 3}, {48, 5}, {30, 13}, {40, 17}, {24, 23}};

  private record Variant(String name, PaletteEmbedder embedder, double epsilon) {}

  public static void main(String[] args) throws Exception {
    List<Variant> variants = List.of(
        new Variant("2 pixel-share bands, L4 ab12, sqrt, eps 0.3 (the earlier default but for its bands)",
            new PaletteEmbedder(4, 12, 2, 0, 0.5), 0.3),
        new Variant("2 pixel-share bands, L4 ab12, power 0.3, eps 0.3", new PaletteEmbedder(4, 12, 2, 0, 0.3), 0.3),
        new Variant("2 bands x centre/sides, L4 ab12, power 0.3, eps 0.4", new PaletteEmbedder(4, 12, 2, 60, 0.3), 0.4),
        new Variant("3 bands x centre/sides, L4 ab12, power 0.25, eps 0.4", new PaletteEmbedder(4, 12, 3, 60, 0.25),
            0.4),
        new Variant("3 bands x centre 50 %/sides, L3 ab12, power 0.25, eps 0.4",
            new PaletteEmbedder(3, 12, 3, 50, 0.25), 0.4),
        new Variant("3 bands x centre/sides, L3 ab12, power 0.25, eps 0.3", new PaletteEmbedder(3, 12, 3, 60, 0.25),
            0.3),
        new Variant("default: 3 bands x centre/sides, L3 ab12, power 0.25, eps 0.4", PaletteEmbedder.standard(),
            ClusterSettings.defaults().epsilon()));
    for (Variant v : variants) {
      ClusterSettings defaults = ClusterSettings.defaults();
      ClusterSettings settings = new ClusterSettings(defaults.method(), defaults.minClusterSize(),
          defaults.minSamples(), defaults.k(), defaults.distanceThreshold(), v.epsilon(), defaults.seed());
      StringBuilder perSet = new StringBuilder();
      double ari = 0;
      double purity = 0;
      double otherSprite = 0;
      for (int[] set : SETS) {
        List<LabelledArt.Crop> crops = LabelledArt.crops(set[0], set[1]);
        List<float[]> vectors = new ArrayList<>();
        for (LabelledArt.Crop c : crops) {
          vectors.add(v.embedder().embed(c.png()));
        }
        otherSprite += leaveSpriteOut(crops, vectors);
        MicroClusters summary = new MicroClusters(256, 0.05);
        for (int i = 0; i < crops.size(); i++) {
          summary.add(crops.get(i).key(), vectors.get(i));
        }
        ClusterModel model = ClusterModel.build(summary, settings);
        List<String> truth = new ArrayList<>();
        List<String> predicted = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
          truth.add(crops.get(i).identity());
          predicted.add(model.assign(vectors.get(i)).identity());
        }
        double a = ClusterQuality.adjustedRandIndex(truth, predicted);
        ari += a;
        purity += ClusterQuality.purity(truth, predicted);
        perSet.append(String.format(" %.3f", a));
      }
      System.out.printf("%-64s (%d dims): ARI %.3f, purity %.3f, other-sprite 1-NN %.3f; ARI per set%s%n", v.name(),
          v.embedder().dimension(), ari / SETS.length, purity / SETS.length, otherSprite / SETS.length, perSet);
    }
  }

  /** The share of crops whose nearest crop made from another sprite has the same identity. */
  private static double leaveSpriteOut(List<LabelledArt.Crop> crops, List<float[]> vectors) {
    int right = 0;
    for (int i = 0; i < vectors.size(); i++) {
      String sprite = sprite(crops.get(i));
      int best = -1;
      double bestDistance = Double.MAX_VALUE;
      for (int j = 0; j < vectors.size(); j++) {
        if (!sprite(crops.get(j)).equals(sprite)) {
          double d = Vectors.distanceSquared(vectors.get(i), vectors.get(j));
          if (d < bestDistance) {
            bestDistance = d;
            best = j;
          }
        }
      }
      right += crops.get(best).identity().equals(crops.get(i).identity()) ? 1 : 0;
    }
    return (double) right / vectors.size();
  }

  private static String sprite(LabelledArt.Crop crop) {
    return crop.key().substring(0, crop.key().indexOf('#'));
  }
}
