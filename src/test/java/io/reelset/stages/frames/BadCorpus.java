package io.reelset.stages.frames;

import io.reelset.media.TestVideos;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bad inputs of frame extraction, written into a directory for tests. */
final class BadCorpus {
  private BadCorpus() {}

  static Path write(Path dir) throws Exception {
    Files.createDirectories(dir);
    TestVideos.write(dir.resolve("good.mkv"), 10, 30, 10, i -> 60 + i * 4);
    Files.write(dir.resolve("empty.mp4"), new byte[0]);
    Files.writeString(dir.resolve("notes.mp4"), "this is a text file, not a video\n");
    Path whole = TestVideos.write(dir.resolve("whole.tmp"), 10, 100, 10, i -> 30 + i * 2);
    byte[] bytes = Files.readAllBytes(whole);
    Files.write(dir.resolve("truncated.mkv"), java.util.Arrays.copyOf(bytes, bytes.length * 2 / 5));
    Path corrupt = TestVideos.write(dir.resolve("corrupt.avi"), 10, 100, 25, i -> 30 + i * 2,
        i -> i % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
    byte[] damaged = Files.readAllBytes(corrupt);
    for (int at = damaged.length / 3; at < damaged.length / 3 + 600; at++) {
      damaged[at] = 0;
    }
    for (int at = damaged.length / 2; at < damaged.length / 2 + 600; at++) {
      damaged[at] = (byte) 0xff;
    }
    Files.write(corrupt, damaged);
    Files.delete(whole);
    TestVideos.writeAudioOnly(dir.resolve("audio-only.mkv"));
    TestVideos.write(dir.resolve("one-frame.mkv"), 10, 1, 1, i -> 100);
    byte[] avi = Files.readAllBytes(TestVideos.write(dir.resolve("zero-rate.avi"), 10, 2, 10, i -> 100 + i * 50));
    zeroRate(avi);
    Files.write(dir.resolve("zero-rate.avi"), avi);
    return dir;
  }

  /** Sets the AVI stream's scale and rate, and the main header's frame period, to 0: a 0/0 rate. */
  private static void zeroRate(byte[] avi) {
    int strh = indexOf(avi, "strh");
    java.util.Arrays.fill(avi, strh + 8 + 20, strh + 8 + 28, (byte) 0);
    int avih = indexOf(avi, "avih");
    java.util.Arrays.fill(avi, avih + 8, avih + 12, (byte) 0);
  }

  private static int indexOf(byte[] data, String tag) {
    byte[] needle = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("no " + tag + " chunk");
  }
}
