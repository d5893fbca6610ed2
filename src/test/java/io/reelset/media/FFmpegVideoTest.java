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
        byte[] jpeg = converter.encode(video.frame());
        assertEquals((byte) 0xFF, jpeg[0]);
        assertEquals((byte) 0xD8, jpeg[1]);
        byte[] thumb = converter.thumbnail(video.frame(), 8, 8);
        assertEquals(8 * 8, thumb.length);
      }
    }
  }
}
