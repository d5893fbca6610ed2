package io.reelset.kit;

import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;

/**
 * What a bundle costs the DirectRunner, for {@code scripts/bench-bundles.sh}: {@code N} elements
 * through a shuffle (which hands the next stage one element per bundle, as the pipeline's model
 * stages get them) and a ParDo that does nothing but whose DoFn carries {@code PAYLOAD} bytes, as a
 * stage's DoFn carries its settings. One worker. Prints the milliseconds per bundle of a second
 * pipeline in the same JVM (the first loads and compiles the runner's code).
 *
 * <p>Arguments: {@code N PAYLOAD}.
 */
public final class BundleOverheadBench {
  private BundleOverheadBench() {}

  public static void main(String[] args) {
    int n = Integer.parseInt(args[0]);
    int payload = Integer.parseInt(args[1]);
    List<Integer> values = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      values.add(i);
    }
    for (int round = 0; round < 2; round++) {
      Pipeline pipeline = Pipeline.create(PipelineOptionsFactory.fromArgs("--targetParallelism=1",
          "--enforceImmutability=false", "--enforceEncodability=false").create());
      pipeline.apply(org.apache.beam.sdk.transforms.Create.of(values))
          .apply(Reshuffle.viaRandomKey())
          .apply(ParDo.of(new CarryingFn(payload)))
          .apply(Count.globally());
      long start = System.nanoTime();
      pipeline.run().waitUntilFinish();
      double ms = (System.nanoTime() - start) / 1e6;
      if (round == 1) {
        System.out.printf("%d one-element bundles, DoFn of %d bytes: %.0f ms, %.2f ms a bundle%n", n, payload, ms,
            ms / n);
      }
    }
  }

  /** Passes its element on; its payload makes its serialized form the size of a stage's DoFn. */
  private static final class CarryingFn extends DoFn<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private final byte[] payload;

    CarryingFn(int bytes) {
      this.payload = new byte[bytes];
    }

    @ProcessElement
    public void process(@Element Integer value, OutputReceiver<Integer> out) {
      out.output(value);
    }
  }
}
