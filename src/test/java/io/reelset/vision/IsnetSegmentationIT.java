package io.reelset.vision;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The real ISNet model on sprites over backgrounds: the masks must match the sprites' alpha. */
class IsnetSegmentationIT {

  @Test
  void aModelWithoutTheConfiguredInputIsRefusedWithItsRealNames() {
    ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
        () -> OnnxSegmenter.open(SegmentationModel.animeIsnet("models/isnet-medium.onnx"), OnnxSegmenter.Device.CPU, 1));
    assertEquals("model models/isnet-medium.onnx has no input 'img'; its inputs: [input]", e.getMessage());
  }

  @Test
  void cudaWithoutTheGpuBuildIsAClearError() {
    ModelException e = org.junit.jupiter.api.Assertions.assertThrows(ModelException.class,
        () -> OnnxSegmenter.open(SegmentationModel.isnet("models/isnet-medium.onnx"), OnnxSegmenter.Device.CUDA, 1));
    org.hamcrest.MatcherAssert.assertThat(e.getMessage(),
        org.hamcrest.Matchers.startsWith("device: cuda needs the GPU build of ONNX Runtime (build with -Pgpu)"));
  }

  /** Grow thresholds whose regions' IoU is printed beside the default's (hysteresis, seeded at 0.5). */
  private static final float[] GROW = {0.5f, 0.3f, 0.2f, 0.1f};

  @Test
  void isnetFindsTheCharacterWithAMeanIouOfAtLeast095() throws Exception {
    assertThat(meanIou(Composites.make(false)), greaterThanOrEqualTo(0.95));
  }

  /** Dark hair against dark backgrounds: the case hysteresis ({@code grow_threshold}) is for. */
  @Test
  void darkHairOnADarkBackgroundIsKeptWithAMeanIouOfAtLeast095() throws Exception {
    assertThat(meanIou(Composites.make(true)), greaterThanOrEqualTo(0.95));
  }

  private static double meanIou(List<Composites.Composite> composites) throws Exception {
    double sum = 0;
    double[] regionSums = new double[GROW.length];
    try (OnnxSegmenter segmenter = OnnxSegmenter.open(
        SegmentationModel.isnet("models/isnet-medium.onnx"), OnnxSegmenter.Device.CPU, 2)) {
      for (Composites.Composite composite : composites) {
        long start = System.nanoTime();
        float[] mask = segmenter.masks(List.of(RgbImage.of(composite.frame()))).get(0);
        double iou = Composites.iou(composite.truth(), mask, 0.5f);
        System.out.printf("IoU %.4f  %s  (%.2f s)%n", iou, composite.name(), (System.nanoTime() - start) / 1e9);
        sum += iou;
        MaskRegions.Result regions = MaskRegions.find(mask, composite.frame().getWidth(),
            composite.frame().getHeight(), 0.5f, 0.02, 0.001, 4);
        assertEquals(1, regions.regions().size(), "one character in " + composite.name());
        for (int g = 0; g < GROW.length; g++) {
          regionSums[g] += Composites.iou(composite.truth(), MaskRegions.find(mask, composite.frame().getWidth(),
              composite.frame().getHeight(), 0.5f, GROW[g], 0.02, 0.001, 4));
        }
      }
    }
    for (int g = 0; g < GROW.length; g++) {
      System.out.printf("mean IoU of the regions, grow_threshold %.1f: %.4f%n", GROW[g], regionSums[g] / composites.size());
    }
    double mean = sum / composites.size();
    System.out.printf("mean IoU %.4f over %d composites%n", mean, composites.size());
    return mean;
  }
}
