package io.reelset.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The quickstart ({@code examples/dataset.yaml}) run once per test JVM, uninterrupted, on the
 * DirectRunner, by the shaded jar as a user runs it: the reference that the resume and Flink tests
 * compare their datasets with. Those tests keep their runs in the same directory, so that
 * {@code reelset status} has a completed run of the pipeline to estimate from.
 */
public final class Quickstart {
  /** Where the reference and the runs compared with it live. */
  public static final Path RUNS = Path.of("target/it-runs/quickstart-" + System.nanoTime()).toAbsolutePath();
  private static Reference reference;

  /** The reference run's directory and how long it took. */
  public record Reference(Path run, double seconds) {}

  private Quickstart() {}

  /** The reference run, made by the first test that asks. */
  public static synchronized Reference reference() throws Exception {
    if (reference == null) {
      assertTrue(Files.exists(Path.of("media/quickstart/play103.mkv")), "fetch the example media first: scripts/fetch-media.sh");
      long start = System.nanoTime();
      ReelsetJar.Result r = ReelsetJar.start("run", "examples/dataset.yaml", "--runs-dir", RUNS.toString(),
          "--run-id", "uninterrupted").await(10);
      assertEquals(0, r.code(), r.err());
      reference = new Reference(RUNS.resolve("uninterrupted"), (System.nanoTime() - start) / 1e9);
    }
    return reference;
  }
}
