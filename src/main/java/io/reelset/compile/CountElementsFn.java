package io.reelset.compile;

import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;

/** Passes every element through unchanged and counts it in a stage's metrics. */
final class CountElementsFn<T> extends DoFn<T, T> {
  private static final long serialVersionUID = 1L;
  private final Counter counter;

  CountElementsFn(String namespace, String name) {
    this.counter = Metrics.counter(namespace, name);
  }

  @ProcessElement
  public void processElement(@Element T element, OutputReceiver<T> out) {
    counter.inc();
    out.output(element);
  }
}
