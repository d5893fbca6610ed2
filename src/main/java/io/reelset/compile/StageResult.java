package io.reelset.compile;

import io.reelset.values.Failure;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * What a stage produces: its output values (with a coder set), its failures, and, for a stage
 * that reports on the whole run (a dataset's stats and report), what to build once every stage's
 * failures are known.
 *
 * @param output the stage's values, read by the stages that depend on it
 * @param failures the items it could not process; use {@link StageInputs#noFailures} when a stage
 *     cannot fail per item
 * @param runReport null, or built after every stage with the failures of the whole run
 */
public record StageResult(PCollection<?> output, PCollection<Failure> failures, RunReport runReport) {
  public StageResult(PCollection<?> output, PCollection<Failure> failures) {
    this(output, failures, null);
  }

  /** A composite transform's output and failures as the stage's result. */
  public static StageResult of(WithFailures.Result<? extends PCollection<?>, Failure> result) {
    return new StageResult(result.output(), result.failures());
  }

  /** What reports on the run; its transforms are named after the stage id. */
  @FunctionalInterface
  public interface RunReport {
    void expand(PCollection<Failure> allFailures);
  }
}
