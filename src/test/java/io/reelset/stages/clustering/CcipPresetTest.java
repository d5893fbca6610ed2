package io.reelset.stages.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.spec.ConfigSchema;
import io.reelset.testing.TinyOnnx;
import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.PngWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code embedder: ccip} feeds a model with CCIP's inputs and outputs as imgutils does: the crop on
 * white, stretched to 384x384, RGB scaled to [0, 1] and normalised with CLIP's mean and std, NCHW
 * into {@code input}, one vector read from {@code output}. The model here is made by the test with
 * the same input and output (the real one cannot be fetched on the build machine): it averages each
 * channel, so its output is the normalised colour of the crop.
 */
class CcipPresetTest {
  private static final double[] MEAN = {0.48145466, 0.4578275, 0.40821073};
  private static final double[] STD = {0.26862954, 0.26130258, 0.27577711};

  @TempDir Path dir;

  private Path model(long size) throws Exception {
    return new TinyOnnx()
        .input("input", -1, 3, size, size)
        .node("GlobalAveragePool", new String[] {"input"}, new String[] {"pooled"})
        .node("Flatten", new String[] {"pooled"}, new String[] {"output"})
        .output("output", -1, 3)
        .write(dir.resolve("ccip-" + size + ".onnx"));
  }

  private static ClusteringConfig ccip(Path model, boolean normalize) {
    return ConfigSchema.defaults(ClusteringConfig.class, Map.of("embedder", "ccip", "model", model.toString(),
        "normalize", normalize));
  }

  /** A crop of one colour, its left half transparent (white once flattened). */
  private static byte[] halfTransparent(int rgb, int width, int height) {
    int[] argb = new int[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        argb[y * width + x] = x < width / 2 ? 0x00000000 : 0xff000000 | rgb;
      }
    }
    return PngWriter.write(argb, width, height, true);
  }

  @Test
  void cropsAreStretchedNormalisedAsImgutilsDoesAndReadFromOutput() throws Exception {
    ClusteringConfig config = ccip(model(384), false);
    OnnxEmbedder.Settings settings = config.onnx();
    assertEquals(384, settings.io().width());
    int r = 200;
    int g = 40;
    int b = 90;
    List<float[]> vectors;
    try (OnnxEmbedder embedder = OnnxEmbedder.open(settings, OnnxSegmenter.Device.CPU, 1)) {
      // 100x50: stretched, not letterboxed, so each half keeps half of the 384x384 input
      vectors = embedder.embed(List.of(halfTransparent(r << 16 | g << 8 | b, 100, 50)));
    }
    float[] v = vectors.get(0);
    int[] colour = {r, g, b};
    for (int c = 0; c < 3; c++) {
      double white = (1.0 - MEAN[c]) / STD[c];
      double paint = (colour[c] / 255.0 - MEAN[c]) / STD[c];
      double expected = (white + paint) / 2;
      assertEquals(expected, v[c], 0.02, "channel " + c + " of " + Arrays.toString(v));
    }
  }

  @Test
  void vectorsAreUnitLengthByDefault() throws Exception {
    ClusteringConfig config = ccip(model(384), true);
    try (OnnxEmbedder embedder = OnnxEmbedder.open(config.onnx(), OnnxSegmenter.Device.CPU, 1)) {
      float[] v = embedder.embed(List.of(halfTransparent(0x336699, 40, 80))).get(0);
      assertEquals(1.0, Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]), 1e-5);
    }
  }

  @Test
  void aModelOfAnotherInputSizeIsRefusedWithItsSize() throws Exception {
    ClusteringConfig config = ccip(model(224), true);
    Exception e = assertThrows(Exception.class, () -> OnnxEmbedder.open(config.onnx(), OnnxSegmenter.Device.CPU, 1));
    assertTrue(e.getMessage().contains("224") && e.getMessage().contains("384"), e.getMessage());
  }
}
