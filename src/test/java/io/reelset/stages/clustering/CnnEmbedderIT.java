package io.reelset.stages.clustering;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.spec.ConfigSchema;
import io.reelset.vision.OnnxEmbedder;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.PngWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The built-in CNN embedder ({@code embedder: cnn}): the model scripts/fetch-models.sh converted
 * from TF.js to ONNX gives the original's outputs on the inputs scripts/check-cnn-conversion.sh
 * ran it on, through the stage's own preprocessing (PNG, RGB, planar, [0, 1]).
 */
class CnnEmbedderIT {
  private static final Path REFERENCE = Path.of("src/test/resources/cnn/mobilenet-v2-reference.json");

  /** The reference's input n: pattern(n, y, x, c) as the RGB of a 224x224 PNG. */
  private static byte[] input(int n) {
    int[] argb = new int[224 * 224];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int pixel = 0xff000000;
        for (int c = 0; c < 3; c++) {
          int v = (x * x * 3 + y * 7 + c * 41 + n * 97 + ((x * y) % 13) * 11) % 256;
          pixel |= v << (16 - 8 * c);
        }
        argb[y * 224 + x] = pixel;
      }
    }
    return PngWriter.write(argb, 224, 224, false);
  }

  @Test
  void theConvertedModelGivesTheOriginalsFeatures() throws Exception {
    JsonNode reference = new ObjectMapper().readTree(REFERENCE.toFile());
    ClusteringConfig config = ConfigSchema.defaults(ClusteringConfig.class, Map.of("embedder", "cnn",
        "normalize", false));
    assertTrue(Files.isRegularFile(Path.of(config.modelPath())), "scripts/fetch-models.sh cnn fetches it");
    OnnxEmbedder.Settings settings = config.onnx();
    List<byte[]> images = new ArrayList<>();
    for (int n = 0; n < reference.get("inputs").asInt(); n++) {
      images.add(input(n));
    }
    List<float[]> vectors;
    try (OnnxEmbedder embedder = OnnxEmbedder.open(settings, OnnxSegmenter.Device.CPU, 2)) {
      vectors = embedder.embed(images);
    }
    double largest = 0;
    double largestNorm = 0;
    for (int n = 0; n < vectors.size(); n++) {
      float[] v = vectors.get(n);
      assertEquals(reference.get("features_per_input").asInt(), v.length);
      JsonNode head = reference.get("features_head").get(n);
      for (int i = 0; i < head.size(); i++) {
        largest = Math.max(largest, Math.abs(v[i] - head.get(i).asDouble()));
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      double expected = reference.get("features_norm").get(n).asDouble();
      largestNorm = Math.max(largestNorm, Math.abs(Math.sqrt(norm) - expected) / expected);
    }
    System.out.printf("cnn conversion: largest difference from TF.js %.2g (features), %.2g relative (lengths)%n",
        largest, largestNorm);
    assertTrue(largest < 1e-3, "features differ from TF.js's by " + largest);
    assertTrue(largestNorm < 1e-4, "feature vector lengths differ from TF.js's by " + largestNorm);
  }
}
