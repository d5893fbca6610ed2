package io.reelset.stages.frames;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.StageMetrics;
import io.reelset.media.Sampling;
import io.reelset.media.TestVideos;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Frame extraction with completion records: a second run reads every recorded piece back and
 * decodes nothing; with some records gone it decodes exactly their frames; the frames are the
 * same, byte for byte, each time.
 */
class ResumeFramesTest {
  /** Frames seen per run: key to a hash of the image bytes. */
  private static final Map<String, Map<String, Integer>> SEEN = new ConcurrentHashMap<>();

  @TempDir Path dir;

  @Test
  void recordedPiecesAreReadBackAndOnlyTheMissingOnesDecoded() throws Exception {
    // 12 s at 10 fps, keyframes every second: every frame sampled, segments of 6 s (60 frames, so
    // each is recorded in pieces of at most 50 frames)
    Path video = TestVideos.write(dir.resolve("long.mkv"), 10, 120, 10, i -> 30 + (i * 7) % 200,
        i -> i % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
    Path records = dir.resolve("records");

    Map<String, Long> first = run("first", video, records);
    Map<String, Integer> frames = SEEN.get("first");
    assertEquals(120, frames.size());
    assertEquals(120, first.get("frames_sampled"));
    assertEquals(0, first.get(StageMetrics.RESUMED));
    assertThat(first.get(StageMetrics.RECORDED), greaterThan(2L));
    assertEquals(first.get(StageMetrics.RECORDED), Checkpoints.count(records));

    Map<String, Long> second = run("second", video, records);
    assertEquals(frames, SEEN.get("second"));
    assertEquals(0, second.get("frames_sampled"), "nothing is decoded again");
    assertEquals(first.get(StageMetrics.RECORDED), second.get(StageMetrics.RESUMED));

    // lose every other record, as a kill would (the last pieces never written)
    List<Path> files;
    try (Stream<Path> walk = Files.walk(records)) {
      files = walk.filter(p -> p.toString().endsWith(".rec")).sorted().toList();
    }
    Checkpoints pieces = Checkpoints.in(files.get(0).getParent().getParent().toString());
    Map<String, Integer> framesPerKey = new TreeMap<>();
    for (String key : pieces.keys()) {
      framesPerKey.put(key, pieces.read(key, FrameCoder.of()).size());
    }
    long lost = 0;
    List<String> keys = new ArrayList<>(framesPerKey.keySet());
    for (int i = 1; i < keys.size(); i += 2) {
      lost += framesPerKey.get(keys.get(i));
      deleteRecord(records, keys.get(i));
    }
    assertThat(lost, greaterThan(0L));
    Map<String, Long> third = run("third", video, records);
    assertEquals(frames, SEEN.get("third"));
    assertEquals(lost, third.get("frames_sampled"), "exactly the frames of the lost pieces are decoded");
    assertEquals((long) (keys.size() - keys.size() / 2), third.get(StageMetrics.RESUMED));
  }

  private static void deleteRecord(Path records, String key) throws Exception {
    try (Stream<Path> walk = Files.walk(records)) {
      for (Path file : walk.filter(p -> p.toString().endsWith(".rec")).toList()) {
        if (readsAs(file, key)) {
          Files.delete(file);
          return;
        }
      }
    }
    throw new AssertionError("no record of " + key);
  }

  /** Whether the record file holds {@code key} (its header names it). */
  private static boolean readsAs(Path file, String key) throws Exception {
    try (java.io.DataInputStream in = new java.io.DataInputStream(Files.newInputStream(file))) {
      in.readInt();
      return in.readUTF().equals(key);
    }
  }

  /** Runs extraction over the video with records in {@code records}; returns the stage's counters. */
  private static Map<String, Long> run(String name, Path video, Path records) {
    SEEN.put(name, new ConcurrentHashMap<>());
    Pipeline p = Pipeline.create(PipelineOptionsFactory.create());
    p.apply(ExtractFrames.from(video.toString(), "frames")
            .withSampling(new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0))
            .withSegmentMs(6000)
            .resumingWith(Checkpoints.in(records.toString())))
        .output()
        .apply(ParDo.of(new SeeFn(name)));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return io.reelset.testing.Counters.of(result, "frames", List.of("frames_sampled", StageMetrics.RESUMED, StageMetrics.RECORDED));
  }

  /** Notes each frame's key and image. */
  static final class SeeFn extends DoFn<Frame, Void> {
    private final String run;

    SeeFn(String run) {
      this.run = run;
    }

    @ProcessElement
    public void process(@Element Frame frame) {
      Integer previous = SEEN.get(run).put(frame.key(), Arrays.hashCode(frame.image()));
      assertTrue(previous == null, "frame " + frame.key() + " came twice");
    }
  }
}
