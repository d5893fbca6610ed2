package io.reelset.media;

import static io.reelset.media.TestVideos.gray;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT470BG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_BT709;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.bytedeco.ffmpeg.avutil.AVFrame;
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
   * A frame of HD video (BT.709, limited range, 4:2:0) goes to JPEG (BT.601, full range) through
   * FFmpeg's colorspace filter, YUV to YUV: its chroma the exactly converted samples, each pixel's
   * luma the exact conversion with the chroma of its 2×2 block — on a texture with saturated hues and
   * hard colour edges, where swscale (by way of 8-bit RGB, clipped) was off by 12.8 levels on average.
   * BT.601 footage and other formats are left to the scaler (null), their frames the bytes they were.
   */
  @Test
  void hdFramesGoToJpegColoursExactlyThroughTheColorspaceFilter() throws Exception {
    int w = 1280;
    int h = 720;
    byte[][] planes = {new byte[w * h], new byte[w * h / 4], new byte[w * h / 4]};
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        planes[0][y * w + x] = (byte) (16 + (x * 7 + y * 13 + (x * y) % 31) % 220); // texture
      }
    }
    for (int y = 0; y < h / 2; y++) {
      for (int x = 0; x < w / 2; x++) { // smooth hues, and hard edges every 64 samples
        planes[1][y * w / 2 + x] = (byte) (128 + 90 * Math.sin(x / 23.0) * Math.cos(y / 31.0));
        planes[2][y * w / 2 + x] = (byte) ((x / 64 + y / 64) % 2 == 0 ? 60 : 200);
      }
    }
    AVFrame frame = av_frame_alloc();
    try (FrameConverter converter = new FrameConverter(FrameConverter.Format.JPG, 2)) {
      frame.format(AV_PIX_FMT_YUV420P).width(w).height(h).colorspace(AVCOL_SPC_BT709).color_range(AVCOL_RANGE_MPEG);
      assertEquals(0, av_frame_get_buffer(frame, 0));
      for (int p = 0; p < 3; p++) {
        int pw = p == 0 ? w : w / 2;
        for (int y = 0; y < (p == 0 ? h : h / 2); y++) {
          frame.data(p).position((long) y * frame.linesize(p)).put(planes[p], y * pw, pw);
        }
        frame.data(p).position(0);
      }
      AVFrame jpeg = converter.jpegColours(frame);
      assertTrue(jpeg != null, "a 1280x720 yuv420p BT.709 frame goes through the colorspace filter");
      assertEquals(AV_PIX_FMT_YUVJ420P, jpeg.format());
      double lumaError = 0;
      int lumaMax = 0;
      int chromaMax = 0;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double pb = ((planes[1][y / 2 * w / 2 + x / 2] & 0xff) - 128) / 224.0;
          double pr = ((planes[2][y / 2 * w / 2 + x / 2] & 0xff) - 128) / 224.0;
          double exact = 255 * luma601(((planes[0][y * w + x] & 0xff) - 16) / 219.0, pb, pr);
          int got = jpeg.data(0).get((long) y * jpeg.linesize(0) + x) & 0xff;
          int error = (int) Math.abs(got - Math.max(0, Math.min(255, Math.round(exact))));
          lumaError += error;
          lumaMax = Math.max(lumaMax, error);
        }
      }
      for (int y = 0; y < h / 2; y++) {
        for (int x = 0; x < w / 2; x++) {
          double pb = ((planes[1][y * w / 2 + x] & 0xff) - 128) / 224.0;
          double pr = ((planes[2][y * w / 2 + x] & 0xff) - 128) / 224.0;
          double yy = luma601(0, pb, pr); // the chroma of BT.601 does not depend on the luma
          double[] exact = {128 + 255 * (1.8556 * pb - yy) / 1.772, 128 + 255 * (1.5748 * pr - yy) / 1.402};
          for (int c = 0; c < 2; c++) {
            int got = jpeg.data(c + 1).get((long) y * jpeg.linesize(c + 1) + x) & 0xff;
            chromaMax = Math.max(chromaMax, (int) Math.abs(got - Math.max(0, Math.min(255, Math.round(exact[c])))));
          }
        }
      }
      lumaError /= (double) w * h;
      assertTrue(lumaError < 0.01, "luma off the exact conversion by " + lumaError + " on average");
      assertTrue(lumaMax <= 1, "luma off by " + lumaMax + " at most");
      assertTrue(chromaMax <= 1, "chroma off by " + chromaMax + " at most");

      frame.colorspace(AVCOL_SPC_BT470BG); // its matrix stays: swscale changes the range in YUV, as before
      assertEquals(null, converter.jpegColours(frame), "BT.601 is the scaler's");
      frame.colorspace(AVCOL_SPC_BT709).format(AV_PIX_FMT_YUV422P); // the filter could, but 4:2:0 is what it is given
      assertEquals(null, converter.jpegColours(frame), "another pixel format is the scaler's");
    } finally {
      av_frame_free(frame);
    }
  }

  /** BT.601's luma of a BT.709 colour: its luma (0 to 1) and chroma (-0.5 to 0.5). */
  private static double luma601(double y709, double pb, double pr) {
    double r = y709 + 1.5748 * pr;
    double b = y709 + 1.8556 * pb;
    double g = (y709 - 0.2126 * r - 0.0722 * b) / 0.7152;
    return 0.299 * r + 0.587 * g + 0.114 * b;
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
