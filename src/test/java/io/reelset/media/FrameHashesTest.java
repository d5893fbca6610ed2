package io.reelset.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameHashesTest {
  private static final int W = 32;
  private static final int H = 24;

  /** A checkerboard of {@code cell}-pixel cells of gray 100 ± {@code amplitude}, box-blurred {@code blur} times. */
  private static byte[] checker(int cell, int amplitude, int blur) {
    int[] v = new int[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        v[y * W + x] = 100 + ((x / cell + y / cell) % 2 == 0 ? amplitude : -amplitude);
      }
    }
    for (int pass = 0; pass < blur; pass++) {
      int[] out = v.clone();
      for (int y = 1; y < H - 1; y++) {
        for (int x = 1; x < W - 1; x++) {
          int sum = 0;
          for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
              sum += v[(y + dy) * W + x + dx];
            }
          }
          out[y * W + x] = sum / 9;
        }
      }
      v = out;
    }
    byte[] gray = new byte[W * H];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) v[i];
    }
    return gray;
  }

  @Test
  void sharpnessIsZeroOnFlatPicturesAndFallsWithBlur() {
    assertEquals(0, FrameHashes.sharpness(checker(4, 0, 0), W, H), 1e-9);
    double sharp = FrameHashes.sharpness(checker(4, 30, 0), W, H);
    double soft = FrameHashes.sharpness(checker(4, 30, 1), W, H);
    double softer = FrameHashes.sharpness(checker(4, 30, 3), W, H);
    assertTrue(sharp > soft && soft > softer && softer > 0, sharp + " > " + soft + " > " + softer + " > 0");
    // more contrast, more sharpness: the measure is the Laplacian's variance
    assertEquals(4 * sharp, FrameHashes.sharpness(checker(4, 60, 0), W, H), 1e-6 * sharp);
    assertEquals(0, FrameHashes.sharpness(new byte[4], 2, 2), 1e-9);
  }
}
