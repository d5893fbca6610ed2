package io.reelset.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class RgbImageTest {

  private static BufferedImage noise(int type, int width, int height) {
    BufferedImage image = new BufferedImage(width, height, type);
    Random random = new Random(7);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return image;
  }

  private static void assertSamePixels(RgbImage rgb, BufferedImage image) {
    assertEquals(image.getWidth(), rgb.width());
    assertEquals(image.getHeight(), rgb.height());
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int argb = image.getRGB(x, y);
        assertArrayEquals(new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff},
            new int[] {rgb.red(x, y), rgb.green(x, y), rgb.blue(x, y)}, "pixel " + x + "," + y);
      }
    }
  }

  @Test
  void bgrBytesAreReadAsTheColourModelReadsThem() {
    BufferedImage bgr = noise(BufferedImage.TYPE_3BYTE_BGR, 37, 11);
    assertSamePixels(RgbImage.of(bgr), bgr);
  }

  @Test
  void aSubImageOfBgrBytesHasItsOwnPixelsOnly() {
    BufferedImage bgr = noise(BufferedImage.TYPE_3BYTE_BGR, 40, 30);
    BufferedImage part = bgr.getSubimage(5, 7, 20, 10); // shares the parent's buffer, other stride
    assertSamePixels(RgbImage.of(part), part);
  }

  @Test
  void otherLayoutsGoThroughTheColourModel() {
    for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_4BYTE_ABGR,
        BufferedImage.TYPE_BYTE_GRAY}) {
      BufferedImage image = noise(type, 13, 9);
      assertSamePixels(RgbImage.of(image), image);
    }
  }

  @Test
  void aDecodedJpegHasTheColoursImageIoGivesIt() throws Exception {
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    ImageIO.write(noise(BufferedImage.TYPE_3BYTE_BGR, 64, 48), "jpg", jpeg);
    BufferedImage decoded = ImageIO.read(new java.io.ByteArrayInputStream(jpeg.toByteArray()));
    assertEquals(BufferedImage.TYPE_3BYTE_BGR, decoded.getType()); // the fast path is taken
    assertSamePixels(RgbImage.decode(jpeg.toByteArray()), decoded);
  }
}
