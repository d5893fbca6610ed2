package io.reelset.stages.frames;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.media.Sampling;
import io.reelset.media.TestVideos;
import io.reelset.values.Frame;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Distinct;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every frame is decoded once however the runner splits: one long segment of 2,000 frames, each
 * sampled, which the DirectRunner checkpoints after every 100 outputs (about 20 times), with the
 * parked decoders kept (one worker) and without them (as when the rest of a restriction goes to
 * another worker).
 */
class DecodeOnceTest {
  private static final int FRAMES = 2000;

  @TempDir Path dir;

  @AfterEach
  void keepDecodersAgain() {
    DecoderSessions.keep = true;
  }

  private Map<String, Long> run(Path video) {
    return run(video, 1_000_000, FRAMES);
  }

  private Map<String, Long> run(Path video, long segmentMs, int frameCount) {
    return run(video, segmentMs, new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0), frameCount);
  }

  /** Counters of extracting {@code video}; with {@code frameCount} at least 0, asserts that many distinct frames. */
  private Map<String, Long> run(Path video, long segmentMs, Sampling sampling, int frameCount) {
    return run(Pipeline.create(PipelineOptionsFactory.create()), video, segmentMs, sampling, frameCount);
  }

  private Map<String, Long> run(Pipeline p, Path video, long segmentMs, Sampling sampling, int frameCount) {
    org.apache.beam.sdk.values.PCollection<Frame> frames = p.apply(ExtractFrames.from(video.toString(), "frames")
            .withSampling(sampling)
            .withSegmentMs(segmentMs))
        .output();
    if (frameCount >= 0) {
      PAssert.thatSingleton(frames.apply(MapElements.into(TypeDescriptors.strings()).via(Frame::key))
          .apply(Distinct.create()).apply(Count.globally())).isEqualTo((long) frameCount);
    }
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return io.reelset.testing.Counters.of(result, "frames", List.of("frames_read", "frames_decoded", "frames_sampled",
        "decoders_opened", "decoders_resumed"));
  }

  /** A pipeline on Flink {@code [local]} with two slots. */
  private static Pipeline flinkLocal() {
    org.apache.beam.runners.flink.FlinkPipelineOptions options =
        PipelineOptionsFactory.create().as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
    options.setRunner(org.apache.beam.runners.flink.FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(2);
    return Pipeline.create(options);
  }

  /** 80 s at 25 fps, a keyframe every 2 s, two B-frames between reference frames. */
  private Path bFramesVideo() throws Exception {
    return TestVideos.write(dir.resolve("bframes.mkv"), 25, FRAMES, 50, 2, i -> 30 + (i * 7) % 200,
        i -> TestVideos.Look.CHECKER);
  }

  /** The milliseconds of the frames {@code sampling} takes from the 25 fps {@code video}, decoding every frame. */
  private static List<Long> takenDecodingAll(Path video, Sampling sampling) throws Exception {
    return TestVideos.takenDecodingAll(video, sampling, 25).stream().map(us -> us / 1000).toList();
  }

  /**
   * Runs frame extraction of {@code video} on {@code p} in 4 s segments, asserting that it takes
   * the frames at {@code expectedMs}; its frame counters.
   */
  private static Map<String, Long> runTaking(Pipeline p, Path video, Sampling sampling, List<Long> expectedMs)
      throws Exception {
    PAssert.that(p.apply(ExtractFrames.from(video.toString(), "frames").withSampling(sampling).withSegmentMs(4000))
        .output().apply(MapElements.into(TypeDescriptors.longs()).via(Frame::ptsMs)))
        .containsInAnyOrder(expectedMs);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    return io.reelset.testing.Counters.of(result, "frames", List.of("frames_read", "frames_decoded",
        "decoders_opened"));
  }

  private Path video() throws Exception {
    // 80 s at 25 fps, a keyframe every 2 s
    return TestVideos.write(dir.resolve("long.mkv"), 25, FRAMES, 50, i -> 30 + (i * 7) % 200,
        i -> i % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
  }

  /**
   * At 30 fps in AVI (time base 1/30 s) most keyframes fall between milliseconds (2333.33 ms): a
   * segment that starts at one seeks to it, not to the keyframe before (which decoded a whole
   * group again at most segment starts).
   */
  @Test
  void segmentsStartingAtKeyframesBetweenMillisecondsDecodeNothingTwice() throws Exception {
    Path video = TestVideos.write(dir.resolve("thirty.avi"), 30, 600, 10, i -> 30 + (i * 7) % 200);
    Map<String, Long> counters = run(video, 2300, 600);
    assertThat(counters.toString(), counters.get("decoders_opened"), greaterThan(3L));
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThanOrEqualTo((long) (600 * 1.05)));
  }

  /**
   * In an MPEG program stream (a DVD's VOB files) a seek lands on a pack near the target, often after
   * it: a segment's start backs off a second or more until it lands before, decodes from there to its
   * start, and then decoded that way again from the entry point it had found. Without scene scores
   * nothing before the start is wanted, and decoding now goes on from the frame it reached: 600
   * frames in 2.3 s segments decoded 753–777 frames in three runs, 873–944 before. The backing off
   * is still paid once (the frames from the landing to the start belong to the segment before).
   * A split program stream also gives 595–597 of the 599 frames an unsplit one gives, before and
   * after this change: after a seek FFmpeg times the first group of pictures' I- and P-frames by
   * their decoding time (40-100 ms early) until it resynchronises, so a few frames at a segment's
   * start are keyed differently from a decoding that ran into them.
   */
  @Test
  void segmentsOfAProgramStreamDecodeTheWayToTheirStartOnce() throws Exception {
    Path video = TestVideos.write(dir.resolve("dvd.mpg"), 25, 600, 12, i -> 30 + (i * 7) % 200);
    Map<String, Long> counters = run(video, 2300, -1);
    assertThat(counters.toString(), counters.get("decoders_opened"), greaterThan(3L));
    assertThat(counters.toString(), counters.get("frames_sampled"), greaterThanOrEqualTo(590L));
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThanOrEqualTo((long) (600 * 1.38)));
  }

  /**
   * Scene scores compare a frame with the two before it: a stretch scores the first two frames of
   * the next one itself (two frames decoded twice per stretch), instead of every stretch decoding
   * the whole group of pictures before its start again (1.5 times the frames here, 1.63 times on
   * the 24-minute episode of scripts/bench-episode.sh).
   */
  @Test
  void scoringScenesDecodesTwoFramesMorePerStretchNotAGroupOfPictures() throws Exception {
    DecoderSessions.keep = false;
    for (Sampling.Mode mode : List.of(Sampling.Mode.SCENE, Sampling.Mode.SHOTS)) {
      Map<String, Long> counters = run(video(), 4000, new Sampling(mode, 0, 0, 0.3), -1);
      assertThat(mode + " " + counters, counters.get("decoders_opened"), greaterThan(19L));
      assertThat(mode + " " + counters, counters.get("frames_decoded"), lessThanOrEqualTo((long) (FRAMES * 1.05)));
    }
  }

  /**
   * On Flink {@code [local]} too, two slots and 4 s segments, the groups of pictures the sampling
   * wants nothing of are left undecoded (keyframes mode: little more than the keyframes) and the
   * frames taken are those of decoding everything.
   */
  @Test
  void groupsLeftUndecodedOnFlinkLocalGiveTheFramesOfDecodingEverything() throws Exception {
    Path video = bFramesVideo();
    Sampling keyframes = new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0);
    List<Long> expected = takenDecodingAll(video, keyframes);
    assertThat(expected.size(), greaterThan(FRAMES / 50 - 1)); // a keyframe every 50 frames or so
    Map<String, Long> counters = runTaking(flinkLocal(), video, keyframes, expected);
    assertThat(counters.toString(), counters.get("frames_read"), greaterThanOrEqualTo((long) FRAMES));
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThan((long) (FRAMES * 0.1)));
  }

  /** The same on Flink {@code [local]}, two slots: the frames of one unsplit decoding, each decoded once. */
  @Test
  void scoringScenesOnFlinkLocalGivesTheFramesOfOneDecoderEachDecodedOnce() throws Exception {
    Path video = video();
    Sampling scene = new Sampling(Sampling.Mode.SCENE, 0, 0, 0.3);
    long whole = run(video, 1_000_000, scene, -1).get("frames_sampled");
    Map<String, Long> counters = run(flinkLocal(), video, 4000, scene, -1);
    assertThat(counters.toString(), whole, greaterThan(10L));
    assertEquals(whole, counters.get("frames_sampled"), counters.toString());
    assertThat(counters.toString(), counters.get("decoders_opened") + counters.get("decoders_resumed"),
        greaterThan(19L));
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThanOrEqualTo((long) (FRAMES * 1.05)));
  }

  /**
   * Frames the sampling will not take and nothing refers to (B-frames) are read but not decoded,
   * however the runner splits, and neither are the stretches up to a keyframe that the sampling
   * wants nothing of: the frames taken are those of decoding everything, and fewer are decoded.
   * Four-second segments, with parked decoders and without.
   */
  @Test
  void framesLeftUndecodedAreTheOnesNotTakenWhereverTheRunnerSplits() throws Exception {
    Path video = bFramesVideo();
    for (Sampling sampling : List.of(new Sampling(Sampling.Mode.FPS, 0, 2, 0),
        new Sampling(Sampling.Mode.EVERY_N, 3, 0, 0), new Sampling(Sampling.Mode.FPS, 0, 0.4, 0),
        new Sampling(Sampling.Mode.KEYFRAMES, 0, 0, 0))) {
      List<Long> expected = takenDecodingAll(video, sampling);
      for (boolean keep : List.of(true, false)) {
        DecoderSessions.keep = keep;
        Map<String, Long> counters = runTaking(Pipeline.create(PipelineOptionsFactory.create()), video, sampling,
            expected);
        String what = sampling.mode() + (keep ? " kept " : " fresh ") + counters;
        assertThat(what, counters.get("decoders_opened"), greaterThan(keep ? 0L : 19L));
        // a decoder that starts a stretch reads a few frames twice (10-11 here): its seek is checked
        // by decoding to the first frame at the start (with B-frames, a few packets in) and done
        // again, and the stretch before read past its end for the frames shown before the keyframe.
        // A seek that landed a group of pictures (50 frames) early would read far more. Where the
        // sampling leaves whole stretches up to a keyframe undecoded (fps 0.4, keyframes), a stretch
        // that wants nothing more reads on, without decoding, to the keyframe after its end: up to a
        // group of pictures that a fresh decoder of the next stretch reads again.
        boolean skipsGroups = sampling.mode() == Sampling.Mode.KEYFRAMES
            || sampling.mode() == Sampling.Mode.FPS && sampling.fps() < 1;
        assertThat(what, counters.get("frames_read"), greaterThanOrEqualTo((long) FRAMES));
        assertThat(what, counters.get("frames_read") - FRAMES,
            lessThanOrEqualTo((skipsGroups ? 16 + 50 : 16) * counters.get("decoders_opened")));
        // two in three frames between keyframes are B-frames: most of them are left out
        assertThat(what, counters.get("frames_decoded"), lessThan((long) (FRAMES * 0.7)));
        if (sampling.mode() == Sampling.Mode.KEYFRAMES) {
          // about 40 keyframes: each, the frames the decoder holds for reordering, and the seek checks
          assertThat(what, counters.get("frames_decoded"), lessThan((long) (FRAMES * 0.1)));
        }
      }
    }
  }

  @Test
  void eachFrameIsDecodedOnceWithTheDecodersKept() throws Exception {
    Map<String, Long> counters = run(video());
    assertEquals(FRAMES, counters.get("frames_sampled"), counters.toString());
    assertThat(counters.toString(), counters.get("decoders_opened") + counters.get("decoders_resumed"),
        greaterThan(10L));
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThanOrEqualTo((long) (FRAMES * 1.05)));
  }

  @Test
  void eachFrameIsDecodedOnceWhenEveryRestOfARestrictionStartsAFreshDecoder() throws Exception {
    DecoderSessions.keep = false;
    Map<String, Long> counters = run(video());
    assertEquals(FRAMES, counters.get("frames_sampled"), counters.toString());
    assertThat(counters.toString(), counters.get("decoders_opened"), greaterThan(10L));
    assertEquals(0, counters.get("decoders_resumed"), counters.toString());
    assertThat(counters.toString(), counters.get("frames_decoded"), lessThanOrEqualTo((long) (FRAMES * 1.05)));
  }
}
