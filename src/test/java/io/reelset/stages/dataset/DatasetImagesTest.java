package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.vision.PngWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Sizes in multiples of 64 under max_side, and the three encodings. */
class DatasetImagesTest {

  @Test
  void sizesAreMultiplesOf64UnderTheLongerSide() {
    assertArrayEquals(new int[] {576, 1024}, DatasetImages.targetSize(700, 1240, 1024));
    assertArrayEquals(new int[] {320, 640}, DatasetImages.targetSize(334, 700, 1024), "never scaled up");
    assertArrayEquals(new int[] {64, 64}, DatasetImages.targetSize(30, 20, 1024), "at least 64");
    assertArrayEquals(new int[] {768, 384}, DatasetImages.targetSize(2000, 1000, 768));
  }

  private static byte[] crop() {
    int[] pixels = new int[200 * 300];
    Arrays.fill(pixels, 0xffd04040);
    for (int i = 0; i < 200; i++) {
      pixels[i] = 0; // a transparent top row
    }
    return PngWriter.write(pixels, 200, 300, true);
  }

  @Test
  void pngAndJpgDecodeAtTheTargetSizeWithTransparencyFlattened() throws Exception {
    for (String format : new String[] {"png", "jpg"}) {
      DatasetImages.Encoded e = DatasetImages.prepare(crop(), 1024, 0x00ff00, 0, format);
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(e.bytes()));
      assertEquals(192, image.getWidth(), format);
      assertEquals(256, image.getHeight(), format);
      int centre = image.getRGB(96, 128);
      assertEquals(0xd0, (centre >> 16) & 0xff, 6, format);
      assertEquals(0x40, (centre >> 8) & 0xff, 6, format);
    }
  }

  @Test
  void webpIsARealWebpFile() throws Exception {
    DatasetImages.Encoded e = DatasetImages.prepare(crop(), 1024, 0xffffff, 0, "webp");
    assertEquals("RIFF", new String(e.bytes(), 0, 4, StandardCharsets.US_ASCII));
    assertEquals("WEBP", new String(e.bytes(), 8, 4, StandardCharsets.US_ASCII));
    assertEquals(192, e.width());
    assertTrue(e.bytes().length < 20_000, "lossy: " + e.bytes().length + " bytes");
  }
}
