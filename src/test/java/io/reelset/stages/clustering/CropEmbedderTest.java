package io.reelset.stages.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.vision.cluster.Vectors;
import org.junit.jupiter.api.Test;

class CropEmbedderTest {
  @Test
  void joinedVectorsWeighTheirSquaredDistancesAndHaveUnitLength() {
    float[] a1 = {3, 4};
    float[] a2 = {4, 3};
    float[] b1 = {1, 0, 0};
    float[] b2 = {0, 0, 2};
    double w = 0.3;
    float[] j1 = CropEmbedder.join(a1, b1, w);
    float[] j2 = CropEmbedder.join(a2, b2, w);
    assertEquals(5, j1.length);
    assertEquals(1.0, Vectors.distanceSquared(j1, new float[5]), 1e-6);
    double da = Vectors.distanceSquared(Vectors.normalise(a1), Vectors.normalise(a2));
    double db = Vectors.distanceSquared(Vectors.normalise(b1), Vectors.normalise(b2));
    assertEquals((1 - w) * da + w * db, Vectors.distanceSquared(j1, j2), 1e-6);
  }
}
