package io.reelset.media;

import static io.reelset.media.TestVideos.gray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
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
      assertTrue(FrameConverter.readsOneField(decoded.frame()), "marked interlaced and combed");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
      assertEquals(TestVideos.WIDTH, image.getWidth());
      assertEquals(TestVideos.HEIGHT, image.getHeight());
      // the top field's bar, on every row; none of the bottom field's: woven, every other row had each
      for (int y = 2; y < TestVideos.HEIGHT - 2; y++) {
        assertTrue(gray(image, 11, y) > 200, "top field's bar at row " + y + ": " + gray(image, 11, y));
        assertTrue(gray(image, 43, y) < 40, "bottom field's bar at row " + y + ": " + gray(image, 43, y));
      }
      // the sharpness picture comes from the same field (a combed frame would look sharpest)
      byte[] detail = converter.detail(decoded.frame());
      int width = FrameConverter.DETAIL_WIDTH;
      for (int y = 10; y < detail.length / width - 10; y++) {
        assertTrue((detail[y * width + width * 11 / 64] & 0xff) > 150, "detail row " + y);
        assertTrue((detail[y * width + width * 43 / 64] & 0xff) < 60, "detail row " + y);
      }
    }
  }

  @Test
  void anInterlacedFrameWhoseFieldsAgreeIsSavedWhole() throws Exception {
    // nothing moved between the fields (or a telecined film frame): no combs, every row kept
    Path video = TestVideos.writeInterlaced(dir.resolve("still.mpg"), (x, y) -> x >= 20 && x < 44 && y >= 12 && y < 36);
    try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
        FrameConverter converter = new FrameConverter(FrameConverter.Format.JPG, 2)) {
      assertTrue(decoded.next());
      assertTrue(!FrameConverter.readsOneField(decoded.frame()), "marked interlaced, but not combed");
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
      // the square's top edge where it was: row 11 dark, row 12 bright (one field would blur it over two rows)
      assertTrue(gray(image, 32, 11) < 60 && gray(image, 32, 12) > 190, gray(image, 32, 11) + ", " + gray(image, 32, 12));
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
      BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
      // 4-pixel checker cells: rows 1 and 5 of one column differ (one field alone would blur them)
      assertTrue(Math.abs(gray(image, 1, 1) - gray(image, 1, 5)) > 25,
          gray(image, 1, 1) + " against " + gray(image, 1, 5));
    }
  }

  @Test
  void coloursComeOutAsTheyWereWhateverTheColourMatrix() throws Exception {
    int[] rgb = {224, 48, 32}; // a saturated red: BT.709's YUV read as BT.601's gives 207, 30, 32
    Object[][] cases = {
        {"hd-declared.mkv", 1280, 720, 0.2126, 0.0722, "bt709"},
        {"hd-undeclared.mkv", 1280, 720, 0.2126, 0.0722, null}, // HD: BT.709, as players assume
        {"sd-undeclared.mkv", 320, 240, 0.299, 0.114, null}, // SD: BT.601
        {"sd-declared-709.mkv", 320, 240, 0.2126, 0.0722, "bt709"},
        {"hd-declared-601.mkv", 1280, 720, 0.299, 0.114, "smpte170m"}};
    for (Object[] c : cases) {
      Path video = TestVideos.writeYuv(dir.resolve((String) c[0]), (int) c[1], (int) c[2],
          ycbcr(rgb, (double) c[3], (double) c[4]), (String) c[5]);
      for (FrameConverter.Format format : FrameConverter.Format.values()) {
        try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
            FrameConverter converter = new FrameConverter(format, 2)) {
          assertTrue(decoded.next());
          BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
          int pixel = image.getRGB(image.getWidth() / 2, image.getHeight() / 2);
          int[] got = {(pixel >> 16) & 0xff, (pixel >> 8) & 0xff, pixel & 0xff};
          for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(got[i] - rgb[i]) <= 5, c[0] + " as " + format + ": "
                + java.util.Arrays.toString(got) + " for " + java.util.Arrays.toString(rgb));
          }
        }
      }
    }
  }

  /**
   * HDR video comes out as a player shows it on an SDR screen (FFmpeg's zscale and tonemap, Hable's
   * curve): PQ code values for 10, 100 and 1000 nits give 69, 156 and 255 with Debian's ffmpeg 5.1
   * and the same chain ({@code scripts/check-hdr.sh} compares whole clips), where read as BT.709
   * they would give 79, 129 and 192 — shadows lifted, highlights dull.
   */
  @Test
  void hdrFramesAreToneMappedAsAPlayerShowsThemOnAnSdrScreen() throws Exception {
    int[] pq = {84, 127, 181}; // PQ for 10, 100 and 1000 nits, 8-bit limited range
    Path hdr = TestVideos.writeGreyBands(dir.resolve("hdr.mkv"), 64, 48, pq,
        java.util.Map.of("color_trc", "smpte2084", "color_primaries", "bt2020", "colorspace", "bt2020nc"));
    Path sdr = TestVideos.writeGreyBands(dir.resolve("sdr.mkv"), 64, 48, pq,
        java.util.Map.of("color_trc", "bt709", "color_primaries", "bt709", "colorspace", "bt709"));
    assertBands(hdr, new int[] {69, 156, 255}, 6, FrameConverter.Hdr.TONE_MAPPED);
    assertBands(sdr, new int[] {79, 129, 192}, 4, FrameConverter.Hdr.NONE);
  }

  private static void assertBands(Path video, int[] greys, int tolerance, FrameConverter.Hdr hdr) throws Exception {
    for (FrameConverter.Format format : FrameConverter.Format.values()) {
      try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
          FrameConverter converter = new FrameConverter(format, 2)) {
        assertTrue(decoded.next());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
        assertEquals(hdr, converter.lastHdr(), video.getFileName() + ": what the tone mapping did");
        for (int band = 0; band < greys.length; band++) {
          int pixel = image.getRGB(image.getWidth() / 2, (2 * band + 1) * image.getHeight() / (2 * greys.length));
          int[] got = {(pixel >> 16) & 0xff, (pixel >> 8) & 0xff, pixel & 0xff};
          for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(got[c] - greys[band]) <= tolerance, video.getFileName() + " as " + format + ", band "
                + band + ": " + java.util.Arrays.toString(got) + ", expected grey " + greys[band]);
          }
        }
      }
    }
  }

  @Test
  void aVideoStoredTurnedIsSavedUpright() throws Exception {
    // the display matrix says how the stored picture is shown: turned 90 degrees counterclockwise,
    // the stored top left corner is at the bottom left; 180, at the bottom right; -90, at the top right
    Object[][] cases = {{90.0, 48, 64, "bottom left"}, {180.0, 64, 48, "bottom right"}, {-90.0, 48, 64, "top right"},
        {0.0, 64, 48, "top left"}};
    for (Object[] c : cases) {
      Path video = TestVideos.writeTurned(dir.resolve("turned" + c[0] + ".mp4"), (double) c[0]);
      for (FrameConverter.Format format : FrameConverter.Format.values()) {
        try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1);
            FrameConverter converter = new FrameConverter(format, 2)) {
          assertEquals(List.of(c[1], c[2]), List.of(decoded.probe(false).info().width(), decoded.probe(false).info().height()));
          assertTrue(decoded.next());
          assertArrayEquals(new int[] {(int) c[1], (int) c[2]}, FrameConverter.displaySize(decoded.frame()));
          BufferedImage image = ImageIO.read(new ByteArrayInputStream(converter.encode(decoded.frame(), null, null)));
          assertEquals(List.of(c[1], c[2]), List.of(image.getWidth(), image.getHeight()), c[0] + " " + format);
          int w = image.getWidth() - 1;
          int h = image.getHeight() - 1;
          String white = gray(image, 2, 2) > 200 ? "top left" : gray(image, w - 2, 2) > 200 ? "top right"
              : gray(image, 2, h - 2) > 200 ? "bottom left" : gray(image, w - 2, h - 2) > 200 ? "bottom right" : "none";
          assertEquals(c[3], white, c[0] + " degrees as " + format);
          assertEquals(1, (gray(image, 2, 2) > 200 ? 1 : 0) + (gray(image, w - 2, 2) > 200 ? 1 : 0)
              + (gray(image, 2, h - 2) > 200 ? 1 : 0) + (gray(image, w - 2, h - 2) > 200 ? 1 : 0));
        }
      }
    }
  }

  /** Limited-range Y, Cb, Cr of {@code rgb} with the matrix of luma weights {@code kr}, {@code kb}. */
  private static int[] ycbcr(int[] rgb, double kr, double kb) {
    double r = rgb[0] / 255.0;
    double g = rgb[1] / 255.0;
    double b = rgb[2] / 255.0;
    double y = kr * r + (1 - kr - kb) * g + kb * b;
    double cb = (b - y) / (2 * (1 - kb));
    double cr = (r - y) / (2 * (1 - kr));
    return new int[] {(int) Math.round(16 + 219 * y), (int) Math.round(128 + 224 * cb), (int) Math.round(128 + 224 * cr)};
  }
}
