package io.reelset.media;

import static io.reelset.media.TestVideos.gray;
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
   * Where the sampling wants no frame between one and the next keyframe, the frames in between are
   * read but not decoded at all, and decoding starts again at the keyframe: the frames taken are
   * the same, pixel for pixel, as those of the decoding that leaves nothing out (MPEG-4 with
   * B-frames, whose keyframes have leading B-frames that refer to the group before; and groups of 4
   * frames, and keyframes alone, jumped several at a time), from the start and from a stretch's start
   * in the middle. In an MPEG program stream, which times keyframes by their decoding, every group
   * is decoded, as before.
   */
  @ParameterizedTest
  @CsvSource({"FPS, 1, 0, 0, mkv, 20", "FPS, 1, 0, 2100, mkv, 20", "FPS, 2.5, 0, 0, mkv, 20",
      "FPS, 0.5, 0, 1300, mkv, 20", "EVERY_N, 0, 25, 0, mkv, 20", "EVERY_N, 0, 30, 1300, mkv, 20",
      "KEYFRAMES, 0, 0, 0, mkv, 20", "KEYFRAMES, 0, 0, 2100, mkv, 20", "FPS, 1, 0, 0, mkv, 4", "FPS, 1, 0, 0, mkv, 1",
      "EVERY_N, 0, 25, 700, mkv, 1", "FPS, 1, 0, 0, mpg, 20", "FPS, 1, 0, 2100, mpg, 20", "KEYFRAMES, 0, 0, 0, mpg, 20"})
  void groupsWithoutAFrameToTakeAreReadButNotDecoded(Sampling.Mode mode, double rate, long n, long fromMs,
      String container, int gop) throws Exception {
    Path file = TestVideos.write(dir.resolve("b." + container), FPS, FRAMES, gop, gop > 1 ? 2 : 0, i -> (i * 7) % 200,
        i -> TestVideos.Look.CHECKER);
    long[] keyframes;
    try (FFmpegVideo video = FFmpegVideo.open(file.toString(), 1)) {
      keyframes = video.probe(true).info().keyframesMs();
    }
    assertThat(keyframes.length, greaterThan(FRAMES / gop - 1));
    Sampling sampling = new Sampling(mode, n, rate, 0.3);
    Taken all = taken(file, sampling, new long[0], fromMs);
    Taken skipping = taken(file, sampling, keyframes, fromMs);
    assertThat(all.us().size(), greaterThan(1));
    assertSameFrames(all, skipping);
    assertEquals(all.read(), skipping.read()); // every packet is still read
    if (container.equals("mpg")) {
      assertEquals(0, skipping.skipped());
      assertEquals(all.decoded(), skipping.decoded());
      return;
    }
    assertThat(skipping.skipped(), greaterThan(0L));
    assertThat(skipping.decoded(), lessThan(all.decoded()));
    if (mode == Sampling.Mode.KEYFRAMES) {
      // each keyframe and, of its leading B-frames, those the decoder gave before it was dropped
      assertThat(skipping.decoded(), lessThan(3L * keyframes.length));
    }
    if (gop == 1) {
      // keyframes alone (an intra-only codec): the groups between two frames taken, jumped at once
      assertThat(skipping.decoded(), lessThan(4L * all.us().size()));
    }
  }

  /**
   * A packet flagged as a keyframe from which decoding does not start clean (a P-frame here; in
   * intra-refresh H.264, a recovery point) is found out by the first frame decoded from it, and the
   * jump undone: decoding starts again at the stretch's start and goes on from the last frame given,
   * so the frames taken are still those of decoding every frame.
   */
  @ParameterizedTest
  @CsvSource({"0", "1300"})
  void aJumpToAKeyframeThatDoesNotDecodeCleanIsUndone(long fromMs) throws Exception {
    Path plain = TestVideos.write(dir.resolve("p.mkv"), FPS, FRAMES, 20, 0, i -> (i * 7) % 200,
        i -> TestVideos.Look.CHECKER);
    // P-frames at 1.2 s and 4.4 s flagged: after 0.84 s and 4.04 s, fps 1 wants nothing before them
    Path file = TestVideos.flagAsKeyframes(plain, dir.resolve("flagged.mp4"), java.util.Set.of(30, 110));
    long[] keyframes;
    try (FFmpegVideo video = FFmpegVideo.open(file.toString(), 1)) {
      keyframes = video.probe(true).info().keyframesMs();
    }
    assertTrue(java.util.Arrays.binarySearch(keyframes, 1200) >= 0, java.util.Arrays.toString(keyframes));
    Sampling sampling = new Sampling(Sampling.Mode.FPS, 0, 1, 0.3);
    Taken all = taken(file, sampling, new long[0], fromMs);
    Taken skipping = taken(file, sampling, keyframes, fromMs);
    assertSameFrames(all, skipping);
    assertEquals(1, skipping.undone());
    assertThat(skipping.skipped(), greaterThan(0L)); // the jumps before the flagged frame
  }

  private record Taken(List<Long> us, List<byte[]> images, long decoded, long read, long skipped, long undone) {}

  /** The same frames: timestamps, and the images byte for byte. */
  private static void assertSameFrames(Taken expected, Taken actual) {
    assertEquals(expected.us(), actual.us());
    for (int i = 0; i < expected.images().size(); i++) {
      assertTrue(java.util.Arrays.equals(expected.images().get(i), actual.images().get(i)),
          "frame at " + expected.us().get(i));
    }
  }

  private static Taken taken(Path file, Sampling sampling, long[] keyframes, long fromMs) throws Exception {
    List<Long> us = new ArrayList<>();
    List<byte[]> images = new ArrayList<>();
    try (SampledFrames frames = SampledFrames.open(file.toString(), 1, sampling, FPS, keyframes, fromMs,
        FrameConverter.Format.PNG, 2)) {
      SampledFrames.Candidate candidate;
      while ((candidate = frames.peek(Long.MAX_VALUE / 1000)) != null) {
        us.add(candidate.us());
        images.add(frames.encode(candidate));
        frames.advance();
      }
      return new Taken(us, images, frames.decodedFrames(), frames.readFrames(), frames.skippedFrames(),
          frames.jumpsUndone());
    }
  }

  /**
   * A frame of telecined film that weaves two pictures is saved as the one picture whose two fields
   * are in it and the frame next to it, at full height, as FFmpeg's fieldmatch rebuilds it; read
   * from one field (as before), the square's top edge blurs over two rows.
   */
  @Test
  void aTelecinedFrameIsRebuiltWholeFromTheFieldsOfOnePicture() throws Exception {
    int[] pictureOf = {0, 1, 1, 2, 3}; // the picture a frame's top field holds
    int[] otherOf = {-1, -1, 2, 3, -1}; // the picture its bottom field holds, where another
    List<Saved> saved = everyFrameSaved(TestVideos.writeTelecined(dir.resolve("telecined.mpg")));
    List<Integer> seen = new ArrayList<>();
    for (Saved frame : saved) {
      int index = (int) frame.index();
      if (index % 5 == 2 || index % 5 == 3) {
        assertTrue(frame.combed(), "frame " + index + " is combed");
      }
      int centre = 10 + 14 * pictureOf[index % 5];
      // the square's top edge where it was: row 12 dark, row 13 bright
      assertThat("frame " + index + " above the square", gray(frame.image(), centre, 12), lessThan(60));
      assertThat("frame " + index + " at the square's top", gray(frame.image(), centre, 13), greaterThan(190));
      for (int y = 14; y < 36; y++) {
        assertThat("frame " + index + " row " + y, gray(frame.image(), centre, y), greaterThan(190));
        if (otherOf[index % 5] >= 0) {
          // the other picture's square, none of it
          int other = 10 + 14 * otherOf[index % 5];
          assertThat("frame " + index + " row " + y + ", other square", gray(frame.image(), other, y), lessThan(60));
        }
      }
      seen.add(index);
    }
    // the MPEG program stream leaves one frame of the 10 without a timestamp, which is skipped
    assertEquals(9, seen.size(), "frames " + seen);
    assertTrue(seen.containsAll(List.of(2, 3, 7)), "the combed frames are among " + seen);
  }

  /**
   * Interlaced video whose fields differ but stay the same from frame to frame — fine stripes that
   * are the picture's own, not motion — keeps both fields where the frames before and after are
   * there to show that nothing moved (bwdif); the first and last frames, with a neighbour missing,
   * are read from one field.
   */
  @Test
  void aStillInterlacedPictureKeepsBothFieldsAndAFrameWithoutNeighboursIsReadFromOneField() throws Exception {
    // every frame: one bar per field, the same in every frame
    List<Saved> saved = everyFrameSaved(TestVideos.writeInterlaced(dir.resolve("interlaced.mpg")));
    long last = saved.get(saved.size() - 1).index();
    for (Saved frame : saved) {
      boolean edge = frame.index() == 0 || frame.index() == last;
      for (int y = 2; y < TestVideos.HEIGHT - 2; y++) {
        boolean top = edge || y % 2 == 0; // one field read: the top field's bar on every row
        String row = "frame " + frame.index() + " row " + y;
        assertThat(row, gray(frame.image(), 11, y), top ? greaterThan(200) : lessThan(40));
        assertThat(row, gray(frame.image(), 43, y), top ? lessThan(40) : greaterThan(200));
      }
    }
    assertThat(saved.size(), greaterThan(5));
  }

  /**
   * Video interlaced through and through, its bar moving from field to field, is deinterlaced with
   * the frames before and after (FFmpeg's bwdif), as the moment of the frame's first field: that
   * field's bar on every row, none of the other's, and the square that never moves kept from both
   * fields — its top edge, on a bottom-field row, sharp (read from one field, as before, it blurs
   * over two rows).
   */
  @Test
  void videoInterlacedThroughAndThroughIsDeinterlacedWithTheFramesNextToIt() throws Exception {
    List<Saved> saved = everyFrameSaved(TestVideos.writeInterlacedMoving(dir.resolve("moving.mpg")));
    int middle = 0;
    for (Saved frame : saved) {
      int index = (int) frame.index();
      assertTrue(frame.combed(), "frame " + index + " is combed");
      if (index == 0 || index == saved.get(saved.size() - 1).index()) {
        continue; // no frame before the first or after the last
      }
      middle++;
      // field k shows the bar at x 2 + 6 (k mod 6) to 7 more; the first field of frame i is 2 i or 2 i + 1
      int first = 2 + 6 * ((2 * index + (frame.topFirst() ? 0 : 1)) % 6);
      int second = 2 + 6 * ((2 * index + (frame.topFirst() ? 1 : 0)) % 6);
      for (int y = 2; y < TestVideos.HEIGHT - 2; y++) {
        // the columns of each bar the other does not cover
        int own = first < second ? first + 2 : first + 5;
        int other = first < second ? second + 5 : second + 2;
        assertThat("frame " + index + " row " + y + ", the first field's bar", gray(frame.image(), own, y), greaterThan(200));
        assertThat("frame " + index + " row " + y + ", the second field's bar", gray(frame.image(), other, y), lessThan(50));
      }
      assertThat("frame " + index + " above the square", gray(frame.image(), 52, 12), lessThan(40));
      assertThat("frame " + index + " at the square's top", gray(frame.image(), 52, 13), greaterThan(210));
    }
    assertThat(middle, greaterThan(5));
  }

  /**
   * A frame as SampledFrames saves it: its index, whether it was combed, whether the decoder says its
   * top field comes first, the PNG read back.
   */
  private record Saved(long index, boolean combed, boolean topFirst, BufferedImage image) {}

  /** Every frame of a 10 fps video, saved as PNG through SampledFrames. */
  private static List<Saved> everyFrameSaved(Path file) throws Exception {
    List<Saved> saved = new ArrayList<>();
    try (SampledFrames frames = SampledFrames.open(file.toString(), 1, new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0.3),
        10, 0, FrameConverter.Format.PNG, 2)) {
      SampledFrames.Candidate candidate;
      while ((candidate = frames.peek(Long.MAX_VALUE / 1000)) != null) {
        saved.add(new Saved(candidate.index(), FrameConverter.readsOneField(candidate.frame()),
            FrameConverter.topFieldFirst(candidate.frame()),
            ImageIO.read(new ByteArrayInputStream(frames.encode(candidate)))));
        frames.advance();
      }
    }
    return saved;
  }
}
