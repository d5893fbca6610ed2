package io.reelset.stages.frames;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.Retry;
import io.reelset.media.FFmpegVideo;
import io.reelset.media.FrameConverter;
import io.reelset.media.Sampling;
import io.reelset.media.TestVideos;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.values.ProbedVideo;
import io.reelset.values.VideoFile;
import org.apache.beam.sdk.io.range.OffsetRange;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.splittabledofn.OffsetRangeTracker;
import org.apache.beam.sdk.transforms.splittabledofn.RestrictionTracker;
import org.apache.beam.sdk.transforms.splittabledofn.SplitResult;
import org.apache.beam.sdk.values.OutputBuilder;
import org.apache.beam.sdk.values.TupleTag;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.flink.FlinkRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video with damaged packets all through one long segment, decoded on one worker thread: the
 * DirectRunner checkpoints the splittable DoFn after 100 outputs, in the middle of the damage, and
 * the run still ends with every frame once and the damage reported. Also on Flink {@code [local]}.
 */
class DamagedCheckpointTest {
  @TempDir Path dir;

  /**
   * 24 s at 25 fps, keyframes every 2 s, 8 runs of damaged bytes over its first two thirds (a
   * decoder that seeks past damage and one that decoded through it agree on the frames after it).
   */
  private Path damagedVideo() throws Exception {
    Path file = TestVideos.write(dir.resolve("whole.avi"), 25, 600, 50, i -> 30 + (i * 7) % 190,
        i -> i % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
    byte[] bytes = Files.readAllBytes(file);
    for (int run = 1; run <= 8; run++) {
      int at = (int) ((long) bytes.length * run / 12);
      for (int i = at; i < at + 300; i++) {
        bytes[i] = (byte) (run % 2 == 0 ? 0 : 0xff);
      }
    }
    return Files.write(dir.resolve("damaged.avi"), bytes);
  }

  /** A video probed as the stage probes it, under {@code key}. */
  private static ProbedVideo probe(Path video, String key) throws Exception {
    try (FFmpegVideo ffmpeg = FFmpegVideo.open(video.toString(), 1)) {
      return new ProbedVideo(new VideoFile(key, video.toString(), video.getFileName().toString(), Files.size(video),
          "f"), ffmpeg.probe(true).info());
    }
  }

  private static void extractFromDamage(Pipeline p, Path video) {
    WithFailures.Result<PCollection<Frame>, Failure> out = p.apply("frames", ExtractFrames.from(video.toString(), "frames")
        .withSampling(new Sampling(Sampling.Mode.EVERY_N, 1, 0, 0)).withSegmentMs(1_000_000));
    PCollection<Frame> frames = out.output();
    PAssert.that(frames.apply("Times", MapElements.into(TypeDescriptors.longs()).via(Frame::ptsMs)))
        .satisfies(times -> {
          List<Long> all = new ArrayList<>();
          times.forEach(all::add);
          Set<Long> distinct = new HashSet<>(all);
          assertEquals(all.size(), distinct.size(), "every frame once");
          // more than the 100 outputs after which the DirectRunner checkpoints
          assertThat(all.size(), greaterThan(300));
          return null;
        });
    PAssert.that(out.failures().apply("Errors",
            MapElements.into(TypeDescriptors.strings()).via(Failure::error)))
        .satisfies(errors -> {
          List<String> all = new ArrayList<>();
          errors.forEach(all::add);
          long damage = all.stream().filter(e -> e.contains("damaged packets or frames skipped")).count();
          assertThat(String.join("\n", all), damage, greaterThanOrEqualTo(1L));
          for (String error : all) {
            assertThat(error, anyOf(containsString("damaged packets or frames skipped"),
                containsString("(truncated?); the frames up to there are still extracted")));
          }
          return null;
        });
  }

  /**
   * The race a loaded runner hits, made exact: the DoFn runs as a runner runs it (a checkpoint
   * splits the restriction at the last claim; output after a failed claim or before any claim
   * throws, as in Beam's invoker), with the checkpoint taken during the k-th decoding step, for
   * every k. Each run continues with the residuals until the timeline is done; together they give
   * the frames of an undisturbed run, every damaged packet reported once.
   */
  @Test
  void aCheckpointAtAnyMomentOfDecodingLosesNothing() throws Exception {
    Path video = damagedVideo();
    ProbedVideo probed = probe(video, "damaged");
    Sampling sampling = new Sampling(Sampling.Mode.EVERY_N, 25, 0, 0);
    Harness undisturbed = new Harness(probed, sampling, Integer.MAX_VALUE);
    assertThat(undisturbed.frames.size(), greaterThan(20));
    assertThat(undisturbed.damage, greaterThan(0L));
    int steps = undisturbed.steps;
    for (int k = 1; k < steps; k++) {
      Harness split = new Harness(probed, sampling, k);
      assertEquals(undisturbed.frames, split.frames, "checkpoint at step " + k);
      // a checkpoint splits the restriction unless the DoFn had already claimed its last position
      assertTrue(split.checkpoints > 0 || split.refusedAfterLastPosition, "checkpoint at step " + k);
      assertEquals(undisturbed.damage, split.damage, "damage reported once, checkpoint at step " + k);
    }
  }

  /**
   * With completion records, a checkpoint at any moment (before or just after the DoFn reads its
   * restriction) leaves pieces that tile the timeline: each starts where the one before ended, none
   * overlaps another, so a resume walks the chain and reads every one back. Before pieces were held
   * by a claim of their last position, a checkpoint just after the last look at the restriction
   * recorded the whole segment while the residual recorded its rest again (one record never read
   * back; ResumeIT saw 3 of 4).
   */
  @Test
  void piecesRecordedAroundACheckpointTileTheTimeline() throws Exception {
    // 6 s at 10 fps, every 5th frame sampled: the last frame sampled lies well before the end of
    // the restriction (the duration and a margin), where a checkpoint after the last look lands
    Path video = TestVideos.write(dir.resolve("clean.mkv"), 10, 60, 10, i -> 30 + (i * 7) % 200,
        i -> i % 2 == 0 ? TestVideos.Look.RAMP_UP : TestVideos.Look.RAMP_DOWN);
    ProbedVideo probed = probe(video, "clean");
    Sampling sampling = new Sampling(Sampling.Mode.EVERY_N, 5, 0, 0);
    Harness undisturbed = new Harness(probed, sampling, Integer.MAX_VALUE);
    OffsetRange timeline = new ExtractFramesFn("frames", sampling, 1_000_000, 1, FrameConverter.Format.JPG, 2,
        Retry.none("frames"), null).initialRestriction(probed);
    for (int k = 1; k < undisturbed.steps; k++) {
      Path dirK = dir.resolve("records-" + k);
      Checkpoints records = Checkpoints.in(dirK.toString());
      Harness split = new Harness(probed, sampling, k, records);
      assertEquals(undisturbed.frames, split.frames, "checkpoint at step " + k);
      Checkpoints pieces = records.forItem("clean");
      List<String> keys = new ArrayList<>(pieces.keys());
      keys.sort(null);
      long at = timeline.getFrom();
      for (String key : keys) {
        long from = Long.parseLong(key.substring(0, key.indexOf('-')));
        long to = Long.parseLong(key.substring(key.indexOf('-') + 1));
        assertEquals(at, from, "checkpoint at step " + k + ": pieces " + keys + " chain without overlap");
        at = to;
      }
      assertEquals(timeline.getTo(), at, "checkpoint at step " + k + ": pieces " + keys + " cover the timeline");
      Harness resumed = new Harness(probed, sampling, Integer.MAX_VALUE, records);
      assertEquals(undisturbed.frames, resumed.frames, "resumed after a checkpoint at step " + k);
      assertEquals(keys.size(), resumed.claims, "every piece read back with one claim each, step " + k);
    }
  }

  /** Runs a restriction and its residuals to the end, checkpointing at one decoding step. */
  private static final class Harness {
    final List<Long> frames = new ArrayList<>();
    long damage;
    int steps;
    int checkpoints;
    int claims;
    boolean refusedAfterLastPosition;

    Harness(ProbedVideo video, Sampling sampling, int checkpointAt) throws Exception {
      this(video, sampling, checkpointAt, null);
    }

    Harness(ProbedVideo video, Sampling sampling, int checkpointAt, Checkpoints records) throws Exception {
      ExtractFramesFn fn = new ExtractFramesFn("frames", sampling, 1_000_000, 1, FrameConverter.Format.JPG, 2,
          Retry.none("frames"), records);
      OffsetRange range = fn.initialRestriction(video);
      while (range != null && range.getFrom() < range.getTo()) {
        CheckpointingTracker tracker = new CheckpointingTracker(range, checkpointAt - steps);
        fn.process(video, tracker, tracker.receiver(this));
        steps += tracker.steps;
        claims += tracker.claims;
        refusedAfterLastPosition |= tracker.refusedAfterLastPosition;

        range = tracker.residual;
        if (range != null) {
          checkpoints++;
        }
      }
      frames.sort(null);
    }
  }

  /**
   * A tracker that checkpoints as a runner's timer does, while the DoFn decodes: at its n-th look
   * at the restriction. Its receiver refuses output as Beam's invoker does.
   */
  private static final class CheckpointingTracker extends RestrictionTracker<OffsetRange, Long> {
    private final OffsetRangeTracker inner;
    private final int checkpointAt;
    int steps;
    int claims;
    boolean claimFailed;
    OffsetRange residual;
    /** The checkpoint found nothing to split off: the DoFn had attempted the last position. */
    boolean refusedAfterLastPosition;
    private long lastAttempt = Long.MIN_VALUE;

    CheckpointingTracker(OffsetRange range, int checkpointAt) {
      this.inner = new OffsetRangeTracker(range);
      this.checkpointAt = checkpointAt;
    }

    /** A runner's timer fires while the DoFn works: before its n-th claim or look at the range. */
    private void step() {
      if (++steps == checkpointAt && residual == null) {
        SplitResult<OffsetRange> split = inner.trySplit(0);
        residual = split == null ? null : split.getResidual();
        refusedAfterLastPosition = split == null && lastAttempt >= inner.currentRestriction().getTo() - 1;
      }
    }

    @Override
    public boolean tryClaim(Long position) {
      step();
      if (claimFailed) {
        throw new IllegalStateException("Must not call tryClaim() after it has previously returned false");
      }
      lastAttempt = position;
      boolean ok = inner.tryClaim(position);
      claims += ok ? 1 : 0;
      claimFailed = !ok;
      return ok;
    }

    @Override
    public OffsetRange currentRestriction() {
      step();
      OffsetRange current = inner.currentRestriction();
      step(); // the timer may fire just after the DoFn looked: what it read is stale at once
      return current;
    }

    @Override
    public SplitResult<OffsetRange> trySplit(double fractionOfRemainder) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void checkDone() {
      inner.checkDone();
    }

    @Override
    public IsBounded isBounded() {
      return IsBounded.BOUNDED;
    }

    /** An output builder whose setters do nothing and whose {@code output()} runs {@code sink}. */
    @SuppressWarnings("unchecked")
    private static <T> OutputBuilder<T> builder(T value, Runnable sink) {
      return (OutputBuilder<T>) Proxy.newProxyInstance(OutputBuilder.class.getClassLoader(),
          new Class<?>[] {OutputBuilder.class}, (proxy, method, args) -> switch (method.getName()) {
            case "output" -> {
              sink.run();
              yield null;
            }
            case "getValue" -> value;
            default -> method.getReturnType().isInstance(proxy) ? proxy : null;
          });
    }

    DoFn.MultiOutputReceiver receiver(Harness harness) {
      return new DoFn.MultiOutputReceiver() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> DoFn.OutputReceiver<T> get(TupleTag<T> tag) {
          return value -> builder(value, () -> {
            if (claimFailed) {
              throw new IllegalStateException("Output is not allowed after a failed tryClaim()");
            }
            if (claims == 0) {
              throw new IllegalStateException("Output is not allowed before tryClaim()");
            }
            if (value instanceof Frame frame) {
              harness.frames.add(frame.ptsMs());
            } else {
              String error = ((Failure) value).error();
              assertThat(error, containsString("damaged packets or frames skipped"));
              harness.damage += Long.parseLong(error.substring(0, error.indexOf(' ')));
            }
          });
        }

        @Override
        public <T> org.apache.beam.sdk.transforms.DoFn.OutputReceiver<org.apache.beam.sdk.values.Row> getRowReceiver(
            TupleTag<T> tag) {
          throw new UnsupportedOperationException();
        }
      };
    }
  }

  @Test
  void theDirectRunnerCheckpointingDuringDamageLosesNothing() throws Exception {
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setTargetParallelism(1);
    options.setBlockOnRun(true);
    Pipeline p = Pipeline.create(options);
    extractFromDamage(p, damagedVideo());
    p.run().waitUntilFinish();
  }

  @Test
  void flinkLocalGivesTheSame() throws Exception {
    FlinkPipelineOptions options = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    options.setRunner(FlinkRunner.class);
    options.setFlinkMaster("[local]");
    options.setParallelism(1);
    Pipeline p = Pipeline.create(options);
    extractFromDamage(p, damagedVideo());
    p.run().waitUntilFinish();
  }
}
