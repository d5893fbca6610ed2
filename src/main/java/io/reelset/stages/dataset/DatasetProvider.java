package io.reelset.stages.dataset;

import io.reelset.kit.OutputFiles;
import io.reelset.kit.Preflight;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.values.DatasetRecord;
import io.reelset.values.Failure;
import io.reelset.values.Frame;
import io.reelset.values.FrameCoder;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;

/**
 * Stage {@code training_data_prep}: turns identity assignments into a ready-to-train dataset, in
 * the kohya_ss layout ({@code img/<repeats>_<trigger> <class>/} with a caption beside each image
 * and {@code dataset_config.toml}) or the Hugging Face imagefolder layout ({@code train/} and
 * {@code validation/} with {@code metadata.jsonl}); curated per identity, captioned from a
 * template, named by {@code identities.yaml}, and described in {@code stats.json}.
 */
public final class DatasetProvider implements StageProvider<DatasetConfig> {
  public static final String TYPE = "training_data_prep";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "writes a ready-to-train dataset per identity: kohya_ss or Hugging Face layout, captions, stats";
  }

  @Override
  public Class<DatasetConfig> configType() {
    return DatasetConfig.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of(IdentityAssignment.class.getSimpleName(), Frame.class.getSimpleName());
  }

  @Override
  public String outputKind() {
    return DatasetRecord.class.getSimpleName();
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("stats", "stats.json", "report", "report.html");
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, DatasetConfig config) {
    PCollection<IdentityAssignment> assignments = inputs.merged(IdentityAssignment.class,
        IdentityAssignmentCoder.class);
    if (assignments == null) {
      throw new IllegalArgumentException("stage '" + context.stageId() + "': depends_on: a training_data_prep stage"
          + " needs identity assignments; depend on a clustering stage (or a tagging stage after one)");
    }
    PCollection<Frame> frames = inputs.merged(Frame.class, FrameCoder.class);
    if (config.regImages() > 0 && frames == null) {
      throw new IllegalArgumentException("stage '" + context.stageId() + "': config.reg_images: a regularisation"
          + " subset is made of frames without characters; add the frame_extraction stage to depends_on");
    }
    WriteTrainingData write = WriteTrainingData.of(config, context).withFrames(frames);
    WithFailures.Result<PCollection<DatasetRecord>, Failure> out = assignments.apply("Dataset", write);
    return new StageResult(out.output(), out.failures(), write::report);
  }

  /** A folder outside the run directory that holds files reelset did not write is refused. */
  @Override
  public void preflight(StageContext context, DatasetConfig config, Preflight checks) {
    String outputDir = context.outputDir();
    if (outputDir == null || insideRunDir(outputDir, context.runDir())) {
      return;
    }
    String refusal = DatasetOwnership.refusal(outputDir, config.force());
    if (refusal != null) {
      checks.problem(context.stageId(), refusal);
    }
  }

  /** The dataset's totals from its stats.json, and where the dataset and its report are. */
  @Override
  public Summary summary(StageContext context, DatasetConfig config) {
    try {
      com.fasterxml.jackson.databind.JsonNode s = OutputFiles.readJson(context.outputDir(),
          "stats.json");
      long images = s.path("images").asLong();
      List<String> lines = new ArrayList<>();
      lines.add(String.format(java.util.Locale.ROOT, "%s: %s, %d images (%d train, %d validation) in %s",
          context.stageId(), Summary.count(s.path("identities").size(), "identity",
              "identities"), images,
          s.path("train").asLong(), s.path("validation").asLong(), context.outputDir()));
      if (s.path("dropped").size() > 0) {
        lines.add(context.stageId() + ": " + s.path("dropped").size() + " identities left out (too few images);"
            + " see stats.json");
      }
      long small = s.path("too_small").asLong();
      if (small > 0) {
        lines.add(context.stageId() + ": " + small + " crops left out as too small to train on (shorter side under "
            + s.path("min_side").asLong() + " px, min_side)");
      }
      com.fasterxml.jackson.databind.JsonNode problems = s.path("check");
      if (problems.size() > 0) {
        lines.add(context.stageId() + ": CHECK-DATASET FOUND " + problems.size() + " PROBLEM"
            + (problems.size() == 1 ? "" : "S") + " the trainer would meet, the first: " + problems.get(0).asText()
            + " (all in stats.json and report.html)");
      }
      long upscaled = s.path("buckets").path("upscaled_by_the_trainer").asLong();
      if (upscaled > 0) {
        lines.add(context.stageId() + ": " + upscaled + " of " + s.path("train").asLong() + " training images are"
            + " smaller than the bucket the trainer puts them in and will be up-scaled (stats.json: buckets);"
            + " a higher min_side or a lower max_side avoids it");
      }
      if (images == 0) {
        lines.add(context.stageId() + ": THE DATASET IS EMPTY: no identity had enough images (min_images) or no"
            + " character was found; look at the clusters and failures in " + context.outputDir()
            + "/report.html, and lower min_images" + (small > 0 ? ", min_side" : "")
            + " or the clustering's min_cluster_size");
      } else {
        lines.add(context.stageId() + ": review it before training: " + context.outputDir() + "/report.html");
      }
      return new Summary(lines, images == 0 || problems.size() > 0);
    } catch (java.io.IOException | RuntimeException e) {
      return new Summary(List.of(context.stageId() + ": no stats.json in " + context.outputDir() + " ("
          + e.getMessage() + ")"), true);
    }
  }

  private static boolean insideRunDir(String outputDir, String runDir) {
    try {
      return Path.of(outputDir).toAbsolutePath().normalize().startsWith(Path.of(runDir).toAbsolutePath().normalize());
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public List<String> fingerprintFiles(DatasetConfig config) {
    return config.identities() != null ? List.of(config.identities()) : List.of();
  }
}
