package io.reelset.compile;

import io.reelset.values.Failure;
import org.apache.beam.sdk.values.PCollection;

/**
 * What a stage produces: its output values (with a coder set) and its failures.
 *
 * @param output the stage's values, read by the stages that depend on it
 * @param failures the items it could not process; use {@link StageInputs#noFailures} when a stage
 *     cannot fail per item
 */
public record StageResult(PCollection<?> output, PCollection<Failure> failures) {}
