package io.reelset.stages.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.corpus.MatchVideos;
import io.reelset.kit.OutputFiles;
import io.reelset.values.Failure;
import io.reelset.values.VideoFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * The videos of a corpus with their stable keys and sizes ({@link MatchVideos}), also written,
 * sorted by key, to {@code <outputDir>/videos.jsonl}; an input that cannot be read is a
 * {@link Failure}.
 */
public final class ListVideos extends PTransform<PBegin, WithFailures.Result<PCollection<VideoFile>, Failure>> {
  private static final long serialVersionUID = 1L;
  static final String FILE = "videos.jsonl";

  private final InventoryConfig config;
  private final String stageId;
  private final String outputDir;

  /** As {@code config} says, for stage {@code stageId}, writing into {@code outputDir}. */
  public ListVideos(InventoryConfig config, String stageId, String outputDir) {
    this.config = config;
    this.stageId = stageId;
    this.outputDir = outputDir;
  }

  @Override
  public WithFailures.Result<PCollection<VideoFile>, Failure> expand(PBegin begin) {
    PCollectionTuple found = begin.apply("Match", MatchVideos.from(config.input(), stageId)
        .withExtensions(config.extensions())
        .withFingerprintBytes(config.fingerprintBytes()));
    found.get(MatchVideos.VIDEOS)
        .apply("Collect", Combine.globally(new CollectLinesFn()))
        .apply("Write", ParDo.of(new WriteListFn(outputDir)))
        .setCoder(StringUtf8Coder.of());
    return WithFailures.Result.of(found.get(MatchVideos.VIDEOS), found.get(MatchVideos.FAILURES));
  }

  /** Collects every video as one JSON line; sorted on output so the file is deterministic. */
  static final class CollectLinesFn extends Combine.CombineFn<VideoFile, List<String>, List<String>> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public List<String> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<String> addInput(List<String> lines, VideoFile video) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("key", video.key());
      line.put("path", video.path());
      line.put("relative_path", video.relativePath());
      line.put("size_bytes", video.sizeBytes());
      line.put("fingerprint", video.fingerprint());
      try {
        lines.add(JSON.writeValueAsString(line));
      } catch (IOException e) {
        throw new IllegalStateException("a map of strings and numbers always serializes", e);
      }
      return lines;
    }

    @Override
    public List<String> mergeAccumulators(Iterable<List<String>> accumulators) {
      List<String> merged = new ArrayList<>();
      accumulators.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<String> extractOutput(List<String> lines) {
      List<String> sorted = new ArrayList<>(lines);
      sorted.sort(Comparator.naturalOrder());
      return sorted;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<String>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<VideoFile> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<String>> getDefaultOutputCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry,
        org.apache.beam.sdk.coders.Coder<VideoFile> inputCoder) {
      return ListCoder.of(StringUtf8Coder.of());
    }
  }

  /** Writes the sorted lines to {@code videos.jsonl}, temp-then-rename. */
  static final class WriteListFn extends DoFn<List<String>, String> {
    private static final long serialVersionUID = 1L;
    private final String outputDir;

    WriteListFn(String outputDir) {
      this.outputDir = outputDir;
    }

    @ProcessElement
    public void process(@Element List<String> lines, OutputReceiver<String> out) throws IOException {
      out.output(OutputFiles.writeLines(outputDir, FILE, lines).toString());
    }
  }
}
