package org.apache.beam.runners.direct;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * reelset's copies of three DirectRunner classes are the ones the runner uses and do what they were
 * copied for: {@link ExecutorServiceParallelExecutor}'s monitor does not spin while a worker has no
 * bundle to run, {@link ParDoEvaluatorFactory} unpacks a ParDo once, not once per bundle, and {@link
 * QuiescenceDriver} runs work that waited for an empty side input once it is ready. All are copies of
 * the Beam version the build uses.
 */
class DirectRunnerCopiesTest {

  /** Set by the slow bundle: its start, its end (nanoseconds) and the monitor's passes at both. */
  private static final AtomicLong SLOW_START = new AtomicLong();
  private static final AtomicLong SLOW_END = new AtomicLong();
  private static final AtomicLong PASSES_AT_START = new AtomicLong();
  private static final AtomicLong PASSES_AT_END = new AtomicLong();

  @Test
  void theCopyIsOfTheBeamVersionTheBuildUses() {
    assertEquals("2.70.0", ReleaseInfo.getReleaseInfo().getSdkVersion(),
        "Beam's version changed: compare src/main/java/org/apache/beam/runners/direct/"
            + "ExecutorServiceParallelExecutor.java, ParDoEvaluatorFactory.java, QuiescenceDriver.java and"
            + " CopyOnAccessInMemoryStateInternals.java (SnapshotBagTest) with the new version's, carry"
            + " their changes over, and update this test");
  }

  @Test
  void aParDoIsUnpackedOnceHoweverManyBundlesItRuns() {
    long few = unpackingsOfAPipelineOf(5);
    long many = unpackingsOfAPipelineOf(200);
    // Beam's factory unpacks at every bundle: at least 200 more for the 200 one-element bundles
    assertThat("ParDo unpackings for 5 elements", few, greaterThanOrEqualTo(1L));
    assertEquals(few, many, "ParDo unpackings for 200 one-element bundles against 5");
  }

  /** The ParDo unpackings of a pipeline that runs its ParDo over {@code n} one-element bundles. */
  private static long unpackingsOfAPipelineOf(int n) {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
        "--targetParallelism=2", "--blockOnRun=false").create());
    List<Integer> values = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    PCollection<Integer> out = pipeline.apply(Create.of(values))
        .apply(Reshuffle.viaRandomKey())
        .apply(MapElements.into(TypeDescriptors.integers()).via(x -> x + 1));
    PAssert.that(out).satisfies(got -> {
      int count = 0;
      for (Integer ignored : got) {
        count++;
      }
      assertEquals(n, count);
      return null;
    });
    long before = ParDoEvaluatorFactory.UNPACKINGS.get();
    assertEquals(PipelineResult.State.DONE, pipeline.run().waitUntilFinish());
    return ParDoEvaluatorFactory.UNPACKINGS.get() - before;
  }

  /**
   * A pipeline whose Combine.globally defaults wait for side inputs that stay empty, behind a ParDo
   * that itself waits for a side input and outputs nothing, finishes every time. Without the copy's
   * change, a run now and then stays QUIESCENT for ever with the defaults parked (the ParDo's last
   * bundle and the defaults are re-run together, the defaults ask before the ParDo's watermark makes
   * their side inputs ready, and nothing makes the executor ACTIVE again): this test stopped 4 times
   * in 4, at runs 12, 12, 23 and 32. With it, 2000 runs of this pipeline finished.
   */
  @Test
  void workWaitingForAnEmptySideInputRunsOnceItIsReady() throws java.io.IOException {
    for (int run = 0; run < 60; run++) {
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
          "--targetParallelism=2", "--blockOnRun=false").create());
      List<Integer> values = new java.util.ArrayList<>();
      for (int i = 0; i < 32; i++) {
        values.add(i);
      }
      PCollection<Integer> numbers = pipeline.apply(Create.of(values));
      PCollectionView<Long> count = numbers.apply(Count.globally()).apply(View.asSingleton());
      PCollection<Integer> none = numbers.apply("ReadsOnly", ParDo.of(new ReadsOnlyFn(count)).withSideInputs(count));
      for (int branch = 0; branch < 4; branch++) {
        none.apply("Count" + branch, Combine.globally(Count.<Integer>combineFn()));
      }
      PipelineResult result = pipeline.run();
      PipelineResult.State state = result.waitUntilFinish(org.joda.time.Duration.standardSeconds(60));
      if (state != PipelineResult.State.DONE) {
        result.cancel();
        throw new AssertionError("run " + run + " of 60 did not finish in 60 s: " + state);
      }
    }
  }

  /** Reads its side input and outputs nothing. */
  private static final class ReadsOnlyFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final PCollectionView<Long> view;

    ReadsOnlyFn(PCollectionView<Long> view) {
      this.view = view;
    }

    @ProcessElement
    public void process(ProcessContext context) {
      context.sideInput(view);
    }
  }

  @Test
  void theMonitorWaitsInsteadOfSpinningWhileAWorkerIsIdle() {
    Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner",
        "--targetParallelism=2", "--blockOnRun=false").create());
    PCollection<Integer> out = pipeline.apply(Create.of(List.of(1)))
        .apply(Reshuffle.viaRandomKey())
        .apply(ParDo.of(new SlowFn()))
        .apply(MapElements.into(TypeDescriptors.integers()).via(x -> x + 1));
    PAssert.that(out).containsInAnyOrder(2);
    PipelineResult result = pipeline.run();
    assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

    double slowMs = (SLOW_END.get() - SLOW_START.get()) / 1e6;
    long passes = PASSES_AT_END.get() - PASSES_AT_START.get();
    assertThat(slowMs, greaterThanOrEqualTo(300.0));
    // one pass per MONITOR_WAIT_MAX_MS at most, and a few for the bundle's start; Beam's own monitor
    // passes thousands of times in 300 ms with a worker idle
    assertThat("monitor passes during " + slowMs + " ms of one bundle on 2 workers", (double) passes,
        lessThan(slowMs / ExecutorServiceParallelExecutor.MONITOR_WAIT_MAX_MS + 20));
  }

  /** One bundle that takes at least 300 ms while the pool's other worker has nothing to do. */
  private static final class SlowFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;

    @ProcessElement
    public void process(@Element Integer value, OutputReceiver<Integer> out) throws InterruptedException {
      SLOW_START.set(System.nanoTime());
      PASSES_AT_START.set(ExecutorServiceParallelExecutor.MONITOR_PASSES.get());
      // the work: 300 ms in which nothing else happens (the latch is never counted down)
      new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS);
      PASSES_AT_END.set(ExecutorServiceParallelExecutor.MONITOR_PASSES.get());
      SLOW_END.set(System.nanoTime());
      out.output(value);
    }
  }
}
