package io.reelset.media;

import io.reelset.values.VideoInfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FFmpegVideoTest {
  @TempDir Path dir;

  @Test
  void aVideoOfNonSquarePixelsIsProbedAtTheSizeItIsShown() throws Exception {
    Path tv = TestVideos.writeAnamorphic(dir.resolve("tv.mkv"), 96, 72, 4, 3);
    Path dvd = TestVideos.writeAnamorphic(dir.resolve("dvd.avi"), 90, 72, 8, 9);
    for (Object[] c : new Object[][] {{tv, 128, 72}, {dvd, 90, 81}}) {
      try (FFmpegVideo video = FFmpegVideo.open(c[0].toString(), 1)) {
        VideoInfo info = video.probe(true).info();
        assertEquals(List.of(c[1], c[2]), List.of(info.width(), info.height()), c[0].toString());
        assertTrue(video.next());
        assertArrayEquals(new int[] {(int) c[1], (int) c[2]}, FrameConverter.displaySize(video.frame()));
      }
    }
    // square, unknown and implausible pixel shapes leave the size alone; narrow pixels heighten it
    assertArrayEquals(new int[] {96, 72}, FrameConverter.squarePixels(96, 72, 1, 1));
    assertArrayEquals(new int[] {96, 72}, FrameConverter.squarePixels(96, 72, 0, 1));
    assertArrayEquals(new int[] {96, 72}, FrameConverter.squarePixels(96, 72, 9, 1));
    assertArrayEquals(new int[] {1920, 1080}, FrameConverter.squarePixels(1440, 1080, 4, 3));
    assertArrayEquals(new int[] {853, 480}, FrameConverter.squarePixels(720, 480, 32, 27));
    assertArrayEquals(new int[] {720, 540}, FrameConverter.squarePixels(720, 480, 8, 9));
  }

  @Test
  void aVariableFrameRateInMatroskaIsNoProblem() throws Exception {
    Path video = TestVideos.writeVariableRate(dir.resolve("vfr.mkv"));
    try (FFmpegVideo decoded = FFmpegVideo.open(video.toString(), 1)) {
      FFmpegVideo.Probe probe = decoded.probe(true);
      assertNull(probe.problem()); // AVI, which times frames by its declared rate alone: FrameExtractionTest
      assertTrue(probe.variableRate(), probe.info().toString());
      assertEquals(30, probe.info().frameCount());
      int frames = 0;
      while (decoded.next()) {
        frames++;
      }
      assertEquals(30, frames);
    }
  }

  @Test
  void probeAndDecodeAGeneratedVideo() throws Exception {
    Path file = TestVideos.write(dir.resolve("v.mkv"), 10, 50, 10, i -> i * 5);
    try (FFmpegVideo video = FFmpegVideo.open(file.toString(), 1)) {
      FFmpegVideo.Probe probe = video.probe(true);
      assertNull(probe.problem());
      VideoInfo info = probe.info();
      assertEquals(10.0, info.frameRate());
      assertEquals(64, info.width());
      assertArrayEquals(new long[] {0, 1000, 2000, 3000, 4000}, info.keyframesMs());
      List<Long> times = new ArrayList<>();
      while (video.next()) {
        times.add(video.frameUs() / 1000);
      }
      assertEquals(50, times.size());
      assertEquals(0L, times.get(0));
      assertEquals(4900L, times.get(49));
      assertTrue(video.seek(2500));
      assertTrue(video.next());
      assertEquals(2000, video.frameUs() / 1000);
      try (FrameConverter converter = new FrameConverter(FrameConverter.Format.JPG, 2)) {
        byte[] jpeg = converter.encode(video.frame(), null, null);
        assertEquals((byte) 0xFF, jpeg[0]);
        assertEquals((byte) 0xD8, jpeg[1]);
        byte[] thumb = converter.thumbnail(video.frame(), 8, 8);
        assertEquals(8 * 8, thumb.length);
      }
    }
  }
}
