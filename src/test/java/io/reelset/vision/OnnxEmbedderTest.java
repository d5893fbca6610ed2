package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/** How the outputs of embedding models become one vector per image, and how crops are flattened. */
class OnnxEmbedderTest {

  @Test
  void vectorsAreReadPerImage() {
    FloatBuffer out = FloatBuffer.wrap(new float[] {1, 2, 3, 4, 5, 6});
    assertArrayEquals(new float[] {4, 5, 6}, OnnxEmbedder.pool(out, new long[] {2, 3}, 1, OnnxEmbedder.Pooling.NONE));
  }

  @Test
  void tokensPoolByClassTokenMeanOrMax() {
    // 1 image, 3 tokens of 2
    float[] tokens = {1, 10, 3, 20, 5, 60};
    long[] shape = {1, 3, 2};
    assertArrayEquals(new float[] {1, 10},
        OnnxEmbedder.pool(FloatBuffer.wrap(tokens), shape, 0, OnnxEmbedder.Pooling.CLS));
    assertArrayEquals(new float[] {3, 30},
        OnnxEmbedder.pool(FloatBuffer.wrap(tokens), shape, 0, OnnxEmbedder.Pooling.MEAN), 1e-6f);
    assertArrayEquals(new float[] {5, 60},
        OnnxEmbedder.pool(FloatBuffer.wrap(tokens), shape, 0, OnnxEmbedder.Pooling.MAX));
  }

  @Test
  void featureMapsPoolOverPositions() {
    // 2 images, 2 channels of 2x1
    float[] maps = {0, 0, 0, 0, 1, 3, -2, 8};
    long[] shape = {2, 2, 2, 1};
    assertArrayEquals(new float[] {2, 3},
        OnnxEmbedder.pool(FloatBuffer.wrap(maps), shape, 1, OnnxEmbedder.Pooling.MEAN), 1e-6f);
    assertArrayEquals(new float[] {3, 8},
        OnnxEmbedder.pool(FloatBuffer.wrap(maps), shape, 1, OnnxEmbedder.Pooling.MAX));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> OnnxEmbedder.pool(FloatBuffer.wrap(maps), shape, 0, OnnxEmbedder.Pooling.CLS));
    assertEquals("pooling: cls needs a [N, tokens, dim] output; this one is [2, 2, 2, 1] (use mean or max)",
        e.getMessage());
  }

  @Test
  void transparentPixelsTakeTheBackgroundColour() throws Exception {
    byte[] png = PngWriter.write(new int[] {0xffff0000, 0x00000000, 0x800000ff}, 3, 1, true);
    RgbImage flat = OnnxEmbedder.flatten(png, 0xffffff);
    assertEquals(255, flat.red(0, 0));
    assertEquals(0, flat.green(0, 0));
    assertEquals(255, flat.red(1, 0));
    assertEquals(255, flat.green(1, 0));
    assertEquals(127, flat.red(2, 0), 1);
    assertEquals(255, flat.blue(2, 0));
  }
}
