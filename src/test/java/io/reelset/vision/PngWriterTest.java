package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngWriterTest {

  @Test
  void imageIoReadsBackEveryPixel() throws Exception {
    int w = 37;
    int h = 23;
    int[] pixels = new int[w * h];
    Random random = new Random(7);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextInt();
    }
    BufferedImage rgba = ImageIO.read(new ByteArrayInputStream(PngWriter.write(pixels, w, h, true)));
    BufferedImage rgb = ImageIO.read(new ByteArrayInputStream(PngWriter.write(pixels, w, h, false)));
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertEquals(pixels[y * w + x], rgba.getRGB(x, y), "RGBA at " + x + "," + y);
        assertEquals(pixels[y * w + x] | 0xFF000000, rgb.getRGB(x, y), "RGB at " + x + "," + y);
      }
    }
  }
}
