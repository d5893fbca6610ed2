package io.reelset.media;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Frames the sampling will not take are left undecoded where nothing refers to them (B-frames),
 * and the frames taken are exactly those of decoding every frame; telecined frames are saved whole.
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

  /**
   * A frame of telecined film that weaves two pictures is saved as the one picture whose two fields
   * are in it and the frame next to it, at full height, as FFmpeg's fieldmatch rebuilds it; read
   * from one field (as before), the square's top edge blurs over two rows.
   */
  @Test
  void aTelecinedFrameIsRebuiltWholeFromTheFieldsOfOnePicture() throws Exception {
    Path file = TestVideos.writeTelecined(dir.resolve("telecined.mpg"));
    int[] pictureOf = {0, 1, 1, 2, 3}; // the picture a frame's top field holds
    int[] otherOf = {-1, -1, 2, 3, -1}; // the picture its bottom field holds, where another
    Sampling everyFrame = new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0.3);
    List<Integer> seen = new ArrayList<>();
    try (SampledFrames frames = SampledFrames.open(file.toString(), 1, everyFrame, 10, 0, FrameConverter.Format.PNG, 2)) {
      SampledFrames.Candidate candidate;
      while ((candidate = frames.peek(Long.MAX_VALUE / 1000)) != null) {
        int index = (int) candidate.index();
        if (index % 5 == 2 || index % 5 == 3) {
          assertTrue(FrameConverter.readsOneField(candidate.frame()), "frame " + index + " is combed");
        }
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(frames.encode(candidate)));
        int centre = 10 + 14 * pictureOf[index % 5];
        // the square's top edge where it was: row 12 dark, row 13 bright
        assertThat("frame " + index + " above the square", gray(image, centre, 12), lessThan(60));
        assertThat("frame " + index + " at the square's top", gray(image, centre, 13), greaterThan(190));
        for (int y = 14; y < 36; y++) {
          assertThat("frame " + index + " row " + y, gray(image, centre, y), greaterThan(190));
          if (otherOf[index % 5] >= 0) {
            // the other picture's square, none of it
            int other = 10 + 14 * otherOf[index % 5];
            assertThat("frame " + index + " row " + y + ", other square", gray(image, other, y), lessThan(60));
          }
        }
        seen.add(index);
        frames.advance();
      }
    }
    // the MPEG program stream leaves one frame of the 10 without a timestamp, which is skipped
    assertEquals(9, seen.size(), "frames " + seen);
    assertTrue(seen.containsAll(List.of(2, 3, 7)), "the combed frames are among " + seen);
  }

  /** Video that is interlaced through and through (each field its own moment) is still read from one field. */
  @Test
  void anInterlacedFrameWithNoMatchingFieldNextToItIsReadFromOneField() throws Exception {
    Path file = TestVideos.writeInterlaced(dir.resolve("interlaced.mpg")); // every frame: one bar per field
    int seen = 0;
    try (SampledFrames frames = SampledFrames.open(file.toString(), 1, new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0.3),
        10, 0, FrameConverter.Format.PNG, 2)) {
      SampledFrames.Candidate candidate;
      while ((candidate = frames.peek(Long.MAX_VALUE / 1000)) != null) {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(frames.encode(candidate)));
        for (int y = 2; y < TestVideos.HEIGHT - 2; y++) {
          // the top field's bar on every row, the bottom field's on none: no weave without combs exists
          assertThat("frame " + candidate.index() + " row " + y, gray(image, 11, y), greaterThan(200));
          assertThat("frame " + candidate.index() + " row " + y, gray(image, 43, y), lessThan(40));
        }
        seen++;
        frames.advance();
      }
    }
    assertThat(seen, greaterThan(5));
  }

  private static int gray(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    return ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
  }
}
