package io.reelset.stages.frames;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.media.FFmpegVideo;
import io.reelset.media.Sampling;
import io.reelset.media.Segments;
import io.reelset.media.TestVideos;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame extraction on generated videos whose every frame is known: 10 fps, keyframes every
 * second, gray levels that change at known frames.
 */
@ExtendWith(TestPipelineExtension.class)
class FrameExtractionTest {
  @TempDir Path dir;

  /** 5 s at 10 fps; shots of gray 40 (frames 0-19), 200 (20-34) and 110 (35-49). */
  private String shots() throws Exception {
    return TestVideos.write(dir.resolve("shots.mkv"), 10, 50, 10,
        i -> i < 20 ? 40 : i < 35 ? 200 : 110).toString();
  }

  private static PCollection<Long> times(WithFailures.Result<PCollection<Frame>, Failure> out) {
    return times(out, "Times");
  }

  private static PCollection<Long> times(WithFailures.Result<PCollection<Frame>, Failure> out, String name) {
    return out.output()
        .apply(name, MapElements.into(TypeDescriptors.longs()).via(Frame::ptsMs));
  }

  private static PCollection<Failure> failures(WithFailures.Result<PCollection<Frame>, Failure> out) {
    return out.failures();
  }

  private WithFailures.Result<PCollection<Frame>, Failure> extract(TestPipeline p, String name, String input, Sampling sampling) {
    return p.apply(name, ExtractFrames.from(input, "frames").withSampling(sampling));
  }

  @Test
  void fpsGivesTheFramesOfFfmpegsFpsFilter(TestPipeline p) throws Exception {
    WithFailures.Result<PCollection<Frame>, Failure> out = extract(p, "Fps", shots(), new Sampling(Sampling.Mode.FPS, 0, 1, 0));
    PAssert.that(times(out)).containsInAnyOrder(400L, 1400L, 2400L, 3400L, 4400L);
    PAssert.that(out.output().apply(MapElements.into(TypeDescriptors.longs()).via(Frame::index)))
        .containsInAnyOrder(4L, 14L, 24L, 34L, 44L);
    PAssert.that(failures(out)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void everyNTakesEveryNthFrame(TestPipeline p) throws Exception {
    WithFailures.Result<PCollection<Frame>, Failure> out = extract(p, "EveryN", shots(), new Sampling(Sampling.Mode.EVERY_N, 7, 0, 0));
    PAssert.that(times(out)).containsInAnyOrder(0L, 700L, 1400L, 2100L, 2800L, 3500L, 4200L, 4900L);
    PAssert.that(failures(out)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void keyframesTakesTheKeyframes(TestPipeline p) throws Exception {
    WithFailures.Result<PCollection<Frame>, Failure> out = extract(p, "Keys", shots(), new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0));
    PAssert.that(times(out)).containsInAnyOrder(0L, 1000L, 2000L, 3000L, 4000L);
    PAssert.that(failures(out)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void sceneTakesTheFirstFrameOfEachShot(TestPipeline p) throws Exception {
    WithFailures.Result<PCollection<Frame>, Failure> out = extract(p, "Scene", shots(), new Sampling(Sampling.Mode.SCENE, 0, 0, 0.3));
    PAssert.that(times(out)).containsInAnyOrder(0L, 2000L, 3500L);
    PAssert.that(out.output().apply(MapElements.into(TypeDescriptors.integers())
        .via(f -> f.width() * 1000 + f.height()))).containsInAnyOrder(64048, 64048, 64048);
    PAssert.that(failures(out)).empty();
    p.run().waitUntilFinish();
  }

  @Test
  void shotsTakesTheSharpestCandidateNearTheMiddleOfEachLongEnoughShot(TestPipeline p) throws Exception {
    // 10 s at 10 fps: a shot of gray 40 (0-3.9 s) whose frame at 1.7 s is sharp (a checkerboard of
    // the same mean, no cut), a flash of gray 200 (4.0-4.4 s), a shot of gray 110 (4.5 s to the end)
    String video = TestVideos.write(dir.resolve("takes.mkv"), 10, 100, 10, i -> i < 40 ? 40 : i < 45 ? 200 : 110,
        i -> i == 17 ? TestVideos.Look.CHECKER : TestVideos.Look.FLAT).toString();
    WithFailures.Result<PCollection<Frame>, Failure> out = extract(p, "Shots", video,
        new Sampling(Sampling.Mode.SHOTS, 0, 0, 0.3));
    // the first shot's middle is 2.0 s: of the candidates nearest it (2.2, 1.7, 2.7 s) the sharp
    // one; the flash is shorter than min_shot_s; the last shot runs to 10.2 s, its middle 7.35 s
    PAssert.that(times(out)).containsInAnyOrder(1700L, 7200L);
    PAssert.that(failures(out)).empty();
    var result = p.run();
    result.waitUntilFinish();
    assertEquals(java.util.Map.of("shots", 2L, "shots_too_short", 1L),
        io.reelset.testing.Counters.of(result, "frames", List.of("shots", "shots_too_short")));
  }

  @Test
  void minimumIntervalAndDedupeRunAfterSampling(TestPipeline p) throws Exception {
    // ramps down for frames 0-24, up for 25-49: two looks, ten candidates at 2 fps
    String video = TestVideos.write(dir.resolve("looks.mkv"), 10, 50, 10, i -> 40 + i,
        i -> i < 25 ? TestVideos.Look.RAMP_DOWN : TestVideos.Look.RAMP_UP).toString();
    Sampling twoPerSecond = new Sampling(Sampling.Mode.FPS, 0, 2, 0);
    WithFailures.Result<PCollection<Frame>, Failure> all = extract(p, "All", video, twoPerSecond);
    WithFailures.Result<PCollection<Frame>, Failure> apart = p.apply("Apart", ExtractFrames.from(video, "frames").withSampling(twoPerSecond)
        .withMinInterval(1200));
    WithFailures.Result<PCollection<Frame>, Failure> unique = p.apply("Unique", ExtractFrames.from(video, "frames").withSampling(twoPerSecond)
        .withDedupe(6));
    PAssert.that(times(all, "AllTimes"))
        .containsInAnyOrder(200L, 700L, 1200L, 1700L, 2200L, 2700L, 3200L, 3700L, 4200L, 4700L);
    PAssert.that(times(apart, "ApartTimes")).containsInAnyOrder(200L, 1700L, 3200L, 4700L);
    PAssert.that(times(unique, "UniqueTimes")).containsInAnyOrder(200L, 2700L);
    p.run().waitUntilFinish();
  }

  @Test
  void aVideoSplitIntoSegmentsGivesTheFramesOfUnsplitDecoding(TestPipeline p) throws Exception {
    // 12 s, keyframes every second, a new shot every 1.3 s
    Path file = TestVideos.write(dir.resolve("long.mkv"), 10, 120, 10, i -> 30 + (i / 13) * 20 % 200,
        i -> (i / 13) % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
    long[] keyframes;
    try (FFmpegVideo video = FFmpegVideo.open(file.toString(), 1)) {
      keyframes = video.probe(true).info().keyframesMs();
    }
    assertThat(Segments.boundaries(0, 12_000 + ExtractFramesFn.END_MARGIN_MS, 2000, keyframes).length - 1,
        greaterThanOrEqualTo(4));
    for (Sampling sampling : List.of(new Sampling(Sampling.Mode.SCENE, 0, 0, 0.3),
        new Sampling(Sampling.Mode.FPS, 0, 3, 0), new Sampling(Sampling.Mode.EVERY_N, 4, 0, 0),
        new Sampling(Sampling.Mode.SHOTS, 0, 0, 0.3))) {
      String mode = sampling.mode().name();
      PCollection<Frame> whole = p.apply("Whole" + mode, ExtractFrames.from(file.toString(), "frames")
          .withSampling(sampling).withSegmentMs(1_000_000)).output();
      PCollection<Frame> split = p.apply("Split" + mode, ExtractFrames.from(file.toString(), "frames")
          .withSampling(sampling).withSegmentMs(2000)).output();
      PCollection<String> mismatches = PCollectionList
          .of(whole.apply("TagWhole" + mode, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
              TypeDescriptors.strings())).via(f -> KV.of(f.key(), "whole:" + Arrays.hashCode(f.image())))))
          .and(split.apply("TagSplit" + mode, MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
              TypeDescriptors.strings())).via(f -> KV.of(f.key(), "split:" + Arrays.hashCode(f.image())))))
          .apply("Both" + mode, Flatten.pCollections())
          .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
          .apply("ByKey" + mode, GroupByKey.create())
          .apply("Compare" + mode, ParDo.of(new MismatchFn()));
      PAssert.that(mismatches).empty();
      PAssert.thatSingleton(whole.apply("CountWhole" + mode, Count.globally()))
          .satisfies(n -> {
            assertThat(n, greaterThanOrEqualTo(8L));
            return null;
          });
    }
    p.run().waitUntilFinish();
  }

  /** Names a frame key whose frame is missing on one side or differs. */
  static final class MismatchFn extends DoFn<KV<String, Iterable<String>>, String> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<String>> frame, OutputReceiver<String> out) {
      List<String> sides = new ArrayList<>();
      frame.getValue().forEach(sides::add);
      sides.sort(null);
      boolean same = sides.size() == 2 && sides.get(0).startsWith("split:") && sides.get(1).startsWith("whole:")
          && sides.get(0).substring(6).equals(sides.get(1).substring(6));
      if (!same) {
        out.output(frame.getKey() + " " + sides);
      }
    }
  }

  @Test
  void dedupeAcrossVideosDropsWhatAnEarlierVideoKept(TestPipeline p) throws Exception {
    // two episodes with the same opening (1 s), then a part of their own, and a copy of the first
    java.util.function.IntFunction<TestVideos.Look> ep1Looks = i -> i < 10 ? TestVideos.Look.RAMP_UP : TestVideos.Look.CHECKER;
    java.util.function.IntFunction<TestVideos.Look> ep2Looks = i -> i < 10 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN;
    Path corpus = Files.createDirectories(dir.resolve("season"));
    TestVideos.write(corpus.resolve("ep1.mkv"), 10, 20, 10, i -> 60, ep1Looks);
    TestVideos.write(corpus.resolve("ep2.mkv"), 10, 20, 10, i -> 60, ep2Looks);
    TestVideos.write(corpus.resolve("ep3.mkv"), 10, 20, 10, i -> 60, ep1Looks);
    Sampling fps = new Sampling(Sampling.Mode.FPS, 0, 1, 0);
    PCollection<String> within = p.apply("Within", ExtractFrames.from(corpus.toString(), "frames")
            .withSampling(fps).withDedupe(4)).output()
        .apply("WithinNames", MapElements.into(TypeDescriptors.strings()).via(FrameExtractionTest::videoAndTime));
    PCollection<String> across = p.apply("Across", ExtractFrames.from(corpus.toString(), "frames")
            .withSampling(fps).withDedupe(4).withDedupeAcrossVideos(true)).output()
        .apply("AcrossNames", MapElements.into(TypeDescriptors.strings()).via(FrameExtractionTest::videoAndTime));
    PAssert.that(within).containsInAnyOrder("ep1.mkv@400", "ep1.mkv@1400", "ep2.mkv@400", "ep2.mkv@1400",
        "ep3.mkv@400", "ep3.mkv@1400");
    // the opening is kept once, by the first episode; the copy keeps nothing; each own part stays
    PAssert.that(across).containsInAnyOrder("ep1.mkv@400", "ep1.mkv@1400", "ep2.mkv@1400");
    p.run().waitUntilFinish();
  }

  private static String videoAndTime(Frame frame) {
    return frame.videoKey().substring(0, frame.videoKey().lastIndexOf('-')) + "@" + frame.ptsMs();
  }

  @Test
  void framesOfNonSquarePixelsComeOutInSquarePixels(TestPipeline p) throws Exception {
    // a Japanese TV capture's shape (1440x1080 of 4:3 pixels), in Matroska; an NTSC 4:3 DVD's (720x480
    // of 8:9 pixels), in AVI, where only the codec's headers say it; and square pixels
    String tv = TestVideos.writeAnamorphic(dir.resolve("tv.mkv"), 96, 72, 4, 3).toString();
    String dvd = TestVideos.writeAnamorphic(dir.resolve("dvd.avi"), 90, 72, 8, 9).toString();
    String square = TestVideos.writeAnamorphic(dir.resolve("square.mkv"), 96, 72, 1, 1).toString();
    Sampling fps = new Sampling(Sampling.Mode.FPS, 0, 1, 0);
    PCollection<String> shown = PCollectionList.of(extract(p, "Tv", tv, fps).output())
        .and(extract(p, "Dvd", dvd, fps).output()).and(extract(p, "Square", square, fps).output())
        .apply(Flatten.pCollections())
        .apply("Shown", MapElements.into(TypeDescriptors.strings()).via(FrameExtractionTest::shape));
    // the record's size is the image's, and the white square is square again
    PAssert.that(shown).containsInAnyOrder("tv.mkv 128x72 square", "tv.mkv 128x72 square", "dvd.avi 90x81 square",
        "dvd.avi 90x81 square", "square.mkv 96x72 square", "square.mkv 96x72 square");
    p.run().waitUntilFinish();
  }

  /** "VIDEO WxH square" when the image is the record's size and its white patch is 40 pixels either way. */
  private static String shape(Frame frame) {
    try {
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(frame.image()));
      int minX = Integer.MAX_VALUE;
      int maxX = -1;
      int minY = Integer.MAX_VALUE;
      int maxY = -1;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          if ((image.getRGB(x, y) & 0xff) > 128) {
            minX = Math.min(minX, x);
            maxX = Math.max(maxX, x);
            minY = Math.min(minY, y);
            maxY = Math.max(maxY, y);
          }
        }
      }
      int across = maxX - minX + 1;
      int down = maxY - minY + 1;
      String video = frame.videoKey().substring(0, frame.videoKey().lastIndexOf('-'));
      String size = image.getWidth() + "x" + image.getHeight();
      String record = frame.width() + "x" + frame.height();
      boolean square = Math.abs(across - 40) <= 2 && Math.abs(down - 40) <= 2;
      return video + " " + size + (record.equals(size) ? "" : " (record " + record + ")")
          + (square ? " square" : " patch " + across + "x" + down);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void savedFramesAreNamedByVideoKeyAndTimestamp(TestPipeline p) throws Exception {
    String video = shots();
    Path saved = dir.resolve("saved");
    WithFailures.Result<PCollection<Frame>, Failure> out = p.apply(ExtractFrames.from(video, "frames")
        .withSampling(new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0)).savingTo(saved.toString()));
    PAssert.that(failures(out)).empty();
    p.run().waitUntilFinish();
    try (Stream<Path> videos = Files.list(saved)) {
      Path videoDir = videos.findFirst().orElseThrow();
      assertThat(videoDir.getFileName().toString(), org.hamcrest.Matchers.matchesPattern("shots\\.mkv-[0-9a-f]{12}"));
      try (Stream<Path> files = Files.list(videoDir)) {
        assertEquals(List.of("000000000.jpg", "000001000.jpg", "000002000.jpg", "000003000.jpg", "000004000.jpg"),
            files.map(f -> f.getFileName().toString()).sorted().toList());
      }
      byte[] jpeg = Files.readAllBytes(videoDir.resolve("000000000.jpg"));
      assertEquals(0xFF, jpeg[0] & 0xff);
      assertEquals(0xD8, jpeg[1] & 0xff);
    }
  }

  @Test
  void badInputsBecomeFailuresAndTheGoodFramesStillCome(TestPipeline p) throws Exception {
    Path corpus = BadCorpus.write(dir.resolve("corpus"));
    Path list = Files.writeString(dir.resolve("videos.txt"), String.join("\n",
        "corpus/good.mkv", "corpus/missing.mkv", "corpus/empty.mp4", "corpus/notes.mp4",
        "corpus/truncated.mkv", "corpus/corrupt.avi", "corpus/audio-only.mkv", "corpus/one-frame.mkv",
        "corpus/zero-rate.avi"));
    WithFailures.Result<PCollection<Frame>, Failure> out = p.apply(ExtractFrames.from(list.toString(), "frames")
        .withSampling(new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0)).withSegmentMs(2000));
    PCollection<String> failed = failures(out).apply("Reasons", MapElements.into(TypeDescriptors.strings())
        .via(f -> f.itemKey().replaceAll("^corpus__|-[0-9a-f]{12}(?=@|$)", "") + ": " + f.error()));
    String missing = corpus.resolve("missing.mkv").toString();
    PAssert.that(failed).satisfies(reasons -> {
      List<String> all = new ArrayList<>();
      reasons.forEach(all::add);
      all.sort(null);
      List<String> expected = List.of(
          missing + ": no such file",
          "audio-only.mkv: no video stream (the file has 1 stream, none of them video)",
          "empty.mp4: the file is empty (0 bytes)",
          "notes.mp4: not a video FFmpeg can read (Invalid data found when processing input)",
          "truncated.mkv: the data ends at 3.500 s but the header says 10.000 s (truncated?);"
              + " the frames up to there are still extracted",
          "zero-rate.avi: the declared frame rate 10 disagrees with the timestamps (25.000 fps);"
              + " the timestamps are used");
      List<String> corrupt = all.stream().filter(r -> r.startsWith("corrupt.avi@")).toList();
      List<String> rest = all.stream().filter(r -> !r.startsWith("corrupt.avi@")).toList();
      assertEquals(expected.stream().sorted().toList(), rest);
      assertThat("the corrupt packets are reported", corrupt.size(), greaterThanOrEqualTo(1));
      for (String reason : corrupt) {
        assertThat(reason, org.hamcrest.Matchers.containsString(
            "damaged packets or frames skipped; the frames around them were still extracted"));
      }
      return null;
    });
    PAssert.that(out.output().apply("PerVideo", MapElements.into(TypeDescriptors.strings())
        .via(f -> f.videoKey().replaceAll("^corpus__|-[0-9a-f]{12}$", ""))).apply(Count.perElement()))
        .satisfies(counts -> {
          java.util.Map<String, Long> perVideo = new java.util.TreeMap<>();
          counts.forEach(kv -> perVideo.put(kv.getKey(), kv.getValue()));
          assertEquals(List.of("corrupt.avi", "good.mkv", "one-frame.mkv", "truncated.mkv", "zero-rate.avi"),
              new ArrayList<>(perVideo.keySet()));
          assertEquals(30L, perVideo.get("good.mkv"));
          assertEquals(1L, perVideo.get("one-frame.mkv"));
          assertEquals(2L, perVideo.get("zero-rate.avi"));
          assertThat(perVideo.get("truncated.mkv"), greaterThanOrEqualTo(30L));
          assertThat(perVideo.get("corrupt.avi"), greaterThanOrEqualTo(90L));
          return null;
        });
    p.run().waitUntilFinish();
  }
}
