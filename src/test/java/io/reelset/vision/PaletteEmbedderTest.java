package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.vision.cluster.Vectors;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The palette embedder on hand-made figures. */
class PaletteEmbedderTest {
  private static final PaletteEmbedder EMBEDDER = PaletteEmbedder.standard();
  private static final int W = 60;
  private static final int H = 120;

  /** A figure: a head of {@code hair}, a body of {@code clothes}, on {@code background} (transparent). */
  private static int[] figure(int hair, int clothes, int background, int width) {
    int[] argb = new int[W * H];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        boolean inside = x >= (W - width) / 2 && x < (W + width) / 2 && y >= 10 && y < H - 10;
        int colour = y < 45 ? hair : clothes;
        argb[y * W + x] = inside ? 0xff000000 | colour : background & 0x00ffffff;
      }
    }
    return argb;
  }

  private static double distance(int[] a, int[] b) throws IOException {
    return Math.sqrt(Vectors.distanceSquared(EMBEDDER.embed(a, W, H), EMBEDDER.embed(b, W, H)));
  }

  @Test
  void embeddingsHaveUnitLength() throws IOException {
    float[] v = EMBEDDER.embed(figure(0xd04040, 0x3050c0, 0, 40), W, H);
    assertEquals(EMBEDDER.dimension(), v.length);
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertEquals(1.0, norm, 1e-5);
  }

  @Test
  void bandsKeepHairAndClothesApart() throws IOException {
    int[] redHairBlueClothes = figure(0xd04040, 0x3050c0, 0, 40);
    int[] blueHairRedClothes = figure(0x3050c0, 0xd04040, 0, 40);
    int[] sameButThinner = figure(0xd04040, 0x3050c0, 0, 24);
    assertTrue(distance(redHairBlueClothes, sameButThinner) < 0.1, "size does not matter");
    assertTrue(distance(redHairBlueClothes, blueHairRedClothes) > 1.0,
        "the same colours in other places are another character");
  }

  @Test
  void somethingThatStretchesTheBoxDoesNotMoveTheBands() throws IOException {
    int[] plain = figure(0xd04040, 0x3050c0, 0, 40);
    int[] withStaff = plain.clone();
    for (int y = 0; y < 10; y++) {
      for (int x = 26; x < 34; x++) {
        withStaff[y * W + x] = 0xffd04040; // a torch held up, above the head: 7 % taller, 2 % more pixels
      }
    }
    assertTrue(distance(plain, withStaff) < 0.05, "distance " + distance(plain, withStaff));
  }

  @Test
  void whatIsOutToTheSidesIsDescribedApartFromTheBody() throws IOException {
    int[] redBody = figure(0x3050c0, 0xd04040, 0, 40);
    int[] redSides = figure(0x3050c0, 0xd04040, 0, 40);
    int[] redCentre = figure(0x3050c0, 0xd04040, 0, 40);
    for (int y = 45; y < H - 10; y++) {
      for (int x = 10; x < 50; x++) {
        boolean side = x < 18 || x >= 42;
        redSides[y * W + x] = 0xff000000 | (side ? 0xd04040 : 0x30a040);
        redCentre[y * W + x] = 0xff000000 | (side ? 0x30a040 : 0xd04040);
      }
    }
    assertTrue(distance(redSides, redCentre) > 0.5,
        "a red cape around a green body is not a red body with green arms: " + distance(redSides, redCentre));
    assertTrue(distance(redBody, redCentre) < distance(redBody, redSides));
  }

  @Test
  void transparentPixelsAndTheMaskRimDoNotCount() throws IOException {
    int[] onBlack = figure(0xd04040, 0x3050c0, 0x000000, 40);
    int[] onGreen = figure(0xd04040, 0x3050c0, 0x20ff20, 40);
    assertEquals(0.0, distance(onBlack, onGreen), 1e-6);
    int[] leaked = onBlack.clone();
    for (int y = 10; y < H - 10; y++) {
      leaked[y * W + 9] = 0xff20ff20; // a one-pixel rim of background inside the mask
    }
    assertTrue(distance(onBlack, leaked) < 0.05, "the rim is left out");
  }

  @Test
  void mirroringChangesNothing() throws IOException {
    int[] a = figure(0xd04040, 0x3050c0, 0, 40);
    for (int y = 20; y < 40; y++) {
      a[y * W + 15] = 0xffffff00; // an asymmetric detail
    }
    int[] mirrored = new int[a.length];
    for (int y = 0; y < H; y++) {
      for (int x = 0; x < W; x++) {
        mirrored[y * W + x] = a[y * W + W - 1 - x];
      }
    }
    assertEquals(0.0, distance(a, mirrored), 1e-6);
  }

  @Test
  void aCharacterAllInBlackIsStillDescribed() throws IOException {
    float[] v = EMBEDDER.embed(figure(0x050505, 0x0a0a0a, 0, 40), W, H);
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    assertEquals(1.0, norm, 1e-5);
  }

  @Test
  void aCropWithoutCharacterPixelsIsAnError() {
    IOException e = assertThrows(IOException.class, () -> EMBEDDER.embed(new int[W * H], W, H));
    assertTrue(e.getMessage().contains("0 character pixels"), e.getMessage());
    assertThrows(IOException.class, () -> EMBEDDER.embed(new byte[] {1, 2, 3}));
  }

  @Test
  void labConversionMatchesReferenceValues() {
    double[] white = PaletteEmbedder.lab(255, 255, 255);
    assertEquals(100, white[0], 0.01);
    assertEquals(0, white[1], 0.01);
    assertEquals(0, white[2], 0.01);
    double[] red = PaletteEmbedder.lab(255, 0, 0); // sRGB red: L 53.24, a 80.09, b 67.20
    assertEquals(53.24, red[0], 0.05);
    assertEquals(80.09, red[1], 0.05);
    assertEquals(67.20, red[2], 0.05);
  }
}
