package io.reelset.media;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frames the sampling will not take are left undecoded where nothing refers to them (B-frames),
 * and the frames taken are exactly those of decoding every frame.
 */
class SampledFramesTest {
  @TempDir Path dir;

  private static final int FPS = 25;
  private static final int FRAMES = 160;

  @ParameterizedTest
  @CsvSource({"FPS, 1, 0", "FPS, 2.5, 0", "FPS, 7, 0", "FPS, 30, 0", "EVERY_N, 0, 3", "KEYFRAMES, 0, 0"})
  void leavesOutOnlyFramesTheSamplingWouldNotTake(Sampling.Mode mode, double rate, long n) throws Exception {
    Path file = TestVideos.write(dir.resolve("b.mkv"), FPS, FRAMES, 20, 2, i -> (i * 7) % 200,
        i -> TestVideos.Look.CHECKER);
    Sampling sampling = new Sampling(mode, n, rate, 0.3);
    List<Long> taken = new ArrayList<>();
    long decoded;
    long read;
    try (SampledFrames frames = SampledFrames.open(file.toString(), 1, sampling, FPS, 0,
        FrameConverter.Format.JPG, 2)) {
      SampledFrames.Candidate candidate;
      while ((candidate = frames.peek(Long.MAX_VALUE / 1000)) != null) {
        taken.add(candidate.us());
        frames.advance();
      }
      decoded = frames.decodedFrames();
      read = frames.readFrames();
    }
    List<Long> expected = TestVideos.takenDecodingAll(file, sampling, FPS);
    assertThat(expected.size(), greaterThan(0));
    assertEquals(expected, taken);
    assertEquals(FRAMES, read);
    if (rate < FPS) {
      // two B-frames in every three frames that are not keyframes: most are left out
      assertThat(decoded, lessThan((long) FRAMES * 2 / 3));
    } else {
      assertEquals(FRAMES, decoded);
    }
  }
}
