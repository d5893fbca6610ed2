package io.reelset.compile;

import io.reelset.values.Failure;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * A plan built into one Beam pipeline.
 *
 * @param outputs each stage's output collection, by stage id
 * @param failures the failures of each stage, in plan order
 */
public record CompiledPipeline(
    Pipeline pipeline, Map<String, PCollection<?>> outputs, PCollectionList<Failure> failures) {}
