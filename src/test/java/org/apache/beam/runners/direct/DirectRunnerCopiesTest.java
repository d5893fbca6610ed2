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
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.util.ReleaseInfo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;

/**
 * reelset's copies of two DirectRunner classes are the ones the runner uses and do what they were
 * copied for: {@link ExecutorServiceParallelExecutor}'s monitor does not spin while a worker has no
 * bundle to run, and {@link ParDoEvaluatorFactory} unpacks a ParDo once, not once per bundle. Both
 * are copies of the Beam version the build uses.
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
            + "ExecutorServiceParallelExecutor.java and ParDoEvaluatorFactory.java with the new version's, carry"
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
