package io.reelset.compile;

import io.reelset.kit.OutputFiles;
import io.reelset.kit.StageMetrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelset.values.Failure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Writes the failures of every stage to {@code <dir>/<stage id>.jsonl}, one JSON object per line
 * ({@code stage}, {@code item}, {@code error}, {@code cause}), sorted by item key.
 *
 * <p>Each file is written under a temporary name and renamed into place, so a retried bundle
 * leaves one complete file. A stage without failures gets no file. Returns the paths written.
 */
public final class WriteFailures extends PTransform<PCollectionList<Failure>, PCollection<String>> {
  private static final long serialVersionUID = 1L;
  private final String directory;

  private WriteFailures(String directory) {
    this.directory = directory;
  }

  /** Writes into {@code directory}, a local path or a URI of any Beam file system. */
  public static WriteFailures to(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("WriteFailures.to(directory): directory must not be empty");
    }
    return new WriteFailures(directory);
  }

  @Override
  public PCollection<String> expand(PCollectionList<Failure> failures) {
    return failures
        .apply("Flatten", Flatten.pCollections())
        .apply("ByStage", WithKeys.of(Failure::stageId).withKeyType(TypeDescriptors.strings()))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), failures.get(0).getCoder()))
        .apply("Group", GroupByKey.create())
        .apply("Write", ParDo.of(new WriteFileFn(directory)))
        .setCoder(StringUtf8Coder.of());
  }

  /** Writes one stage's failures to one file, temp-then-rename. */
  static final class WriteFileFn extends DoFn<KV<String, Iterable<Failure>>, String> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String directory;

    WriteFileFn(String directory) {
      this.directory = directory;
    }

    @ProcessElement
    public void processElement(@Element KV<String, Iterable<Failure>> stage, OutputReceiver<String> out)
        throws IOException {
      List<Failure> sorted = new ArrayList<>();
      stage.getValue().forEach(sorted::add);
      sorted.sort(Comparator.comparing(Failure::itemKey).thenComparing(Failure::error)
          .thenComparing(Failure::cause));
      List<String> lines = new ArrayList<>();
      for (Failure failure : sorted) {
        ObjectNode line = JSON.createObjectNode()
            .put("stage", failure.stageId())
            .put("item", failure.itemKey())
            .put("error", failure.error())
            .put("cause", failure.cause());
        lines.add(JSON.writeValueAsString(line));
      }
      ResourceId target = OutputFiles.writeLines(directory, stage.getKey() + ".jsonl", lines);
      out.output(target.toString());
    }
  }
}
