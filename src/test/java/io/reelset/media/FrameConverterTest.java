package io.reelset.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What FrameConverter makes of decoded frames that are not plain progressive pictures. */
class FrameConverterTest {
  @TempDir Path dir;

  @Test
  void anInterlacedFrameIsSavedFromOneFieldWithoutCombing() throws Exception {
    Path video = TestVideos.writeInterlaced(dir.resolve("interlaced.mpg"));
    try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
        FrameConverter converter = new FrameConverter(FrameConverter.Format.JPG, 2)) {
      assertTrue(decoded.next());
      assertTrue(FrameConverter.readsOneField(decoded.frame()), "the decoder marks the frame interlaced");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame())));
      assertEquals(TestVideos.WIDTH, image.getWidth());
      assertEquals(TestVideos.HEIGHT, image.getHeight());
      // the top field's bar, on every row; none of the bottom field's: woven, every other row had each
      for (int y = 2; y < TestVideos.HEIGHT - 2; y++) {
        assertTrue(gray(image, 11, y) > 200, "top field's bar at row " + y + ": " + gray(image, 11, y));
        assertTrue(gray(image, 43, y) < 40, "bottom field's bar at row " + y + ": " + gray(image, 43, y));
      }
      // the gray pictures that scene scores, hashes and sharpness read come from the same field
      byte[] thumb = converter.thumbnail(decoded.frame(), 8, 8);
      for (int y = 1; y < 7; y++) {
        assertTrue((thumb[y * 8 + 1] & 0xff) > 100, "thumbnail row " + y);
        assertTrue((thumb[y * 8 + 5] & 0xff) < 40, "thumbnail row " + y);
      }
    }
  }

  @Test
  void aProgressiveFrameIsSavedWhole() throws Exception {
    Path video = TestVideos.write(dir.resolve("progressive.mkv"), 10, 10, 5, i -> 100,
        i -> TestVideos.Look.CHECKER);
    try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
        FrameConverter converter = new FrameConverter(FrameConverter.Format.PNG, 2)) {
      assertTrue(decoded.next());
      assertTrue(!FrameConverter.readsOneField(decoded.frame()));
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame())));
      // 4-pixel checker cells: rows 1 and 5 of one column differ (one field alone would blur them)
      assertTrue(Math.abs(gray(image, 1, 1) - gray(image, 1, 5)) > 25,
          gray(image, 1, 1) + " against " + gray(image, 1, 5));
    }
  }

  private static int gray(BufferedImage image, int x, int y) {
    return (image.getRGB(x, y) >> 8) & 0xff;
  }
}
