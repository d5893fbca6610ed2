package io.reelset.stages.inventory;

import io.reelset.corpus.MatchVideos;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.OutputFiles;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
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
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;

/**
 * Stage {@code video_inventory}: lists the videos of a corpus with their stable keys and sizes,
 * and writes them, sorted by key, to {@code <output_dir>/videos.jsonl}.
 *
 * <p>Use it to check what an input matches before a long run; the keys are those every later
 * stage uses.
 */
public final class InventoryProvider implements StageProvider<InventoryConfig> {
  public static final String TYPE = "video_inventory";
  public static final String FILE = "videos.jsonl";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "lists the videos of a corpus (glob, directory or list file) with stable keys";
  }

  @Override
  public Class<InventoryConfig> configType() {
    return InventoryConfig.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of();
  }

  @Override
  public String outputKind() {
    return VideoFile.class.getSimpleName();
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("videos", FILE);
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, InventoryConfig config) {
    PCollectionTuple found = inputs.begin().apply("Match",
        MatchVideos.from(config.input(), context.stageId())
            .withExtensions(config.extensions())
            .withFingerprintBytes(config.fingerprintBytes()));
    found.get(MatchVideos.VIDEOS)
        .apply("Collect", Combine.globally(new CollectLinesFn()))
        .apply("Write", ParDo.of(new WriteListFn(context.outputDir())))
        .setCoder(StringUtf8Coder.of());
    return new StageResult(found.get(MatchVideos.VIDEOS), found.get(MatchVideos.FAILURES));
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
