package io.reelset.stages.dataset;

import io.reelset.compile.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.FieldType;
import io.reelset.spec.StageConfig;
import io.reelset.stages.ImageConfig;
import io.reelset.values.DatasetRecord;
import io.reelset.values.DatasetRecordCoder;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.RecordCoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Stage {@code training_data_prep}: turns identity assignments into a ready-to-train dataset, in
 * the kohya_ss layout ({@code img/<repeats>_<trigger> <class>/} with a caption beside each image
 * and {@code dataset_config.toml}) or the Hugging Face imagefolder layout ({@code train/} and
 * {@code validation/} with {@code metadata.jsonl}); curated per identity, captioned from a
 * template, named by {@code identities.yaml}, and described in {@code stats.json}.
 */
public final class DatasetProvider implements StageProvider {
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
  public ConfigSchema configSchema() {
    return ConfigSchema.builder()
        .choice("format", "kohya", "the dataset layout", "kohya", "hf")
        .integer("min_images", 5, 1, 1_000_000, "identities with fewer crops are left out")
        .integer("max_images", 200, 1, 1_000_000, "at most this many per identity, the most diverse")
        .choice("noise", "drop", "crops of no identity: drop them, or keep them apart in noise/", "drop", "keep")
        .optional("repeats", FieldType.ANY, "auto", "kohya repeats per identity: a number, or auto")
        .integer("repeats_target", 200, 1, 1_000_000, "repeats auto: images x repeats comes nearest this")
        .integer("max_side", 1024, 64, 8192, "the longer side at most; sizes become multiples of 64")
        .choice("image_format", "png", "how images are written", "png", "jpg", "webp")
        .optional("background", FieldType.STRING, "#FFFFFF", "#RRGGBB that transparent crop pixels become")
        .number("validation", 0.1, 0, 0.9, "share of each identity's images in the validation split (by key hash)")
        .optional("caption", FieldType.STRING, "{trigger}",
            "caption template: {trigger}, {name}, {video}, {timestamp}, {index}")
        .optional("caption_extension", FieldType.STRING, ".txt", "kohya: the caption files' extension")
        .optional("class_token", FieldType.STRING, "character", "kohya: the class word after the trigger")
        .optional("identities", FieldType.STRING, null, "identities.yaml: rename, merge or drop clusters")
        .optional("cluster_report", FieldType.STRING, null, "clusters.json to show in report.html, e.g. {identities.clusters}")
        .optional("force", FieldType.BOOLEAN, false, "write into a non-empty output_dir that no reelset run wrote"
            + " (its files are kept; a file named like one reelset writes is replaced)")
        .rule(DatasetProvider::checkCombinations)
        .rule(ImageConfig.rule(List.of(), java.util.Collections.singletonMap("background", null)))
        .build();
  }

  @Override
  public List<String> inputKinds() {
    return List.of(IdentityAssignment.class.getSimpleName());
  }

  @Override
  public String outputKind() {
    return DatasetRecord.class.getSimpleName();
  }

  @Override
  public Map<String, String> outputs() {
    return Map.of("stats", "stats.json", "report", "report.html");
  }

  /** The rules between fields and of field formats, checked with the file (and again when built). */
  static void checkCombinations(ConfigRule.Checked checked) {
    StageConfig config = checked.values();
    for (String field : List.of("repeats", "caption_extension", "caption")) {
      String problem = problem(config, field);
      if (problem != null) {
        checked.problem(field, problem);
      }
    }
  }

  private static String problem(StageConfig config, String field) {
    return switch (field) {
      case "repeats" -> "auto".equals(config.get("repeats"))
          || config.get("repeats") instanceof Long n && n >= 1 && n <= 10_000 ? null
          : "expected auto or a whole number from 1 to 10000, got " + config.get("repeats");
      case "caption_extension" -> config.getString("caption_extension").matches("\\.[A-Za-z0-9]{1,10}") ? null
          : "'" + config.getString("caption_extension") + "' is not an extension; write one like .txt or .caption";
      case "caption" -> Captions.problem(config.getString("caption"));
      default -> null;
    };
  }

  static DatasetSettings settings(StageConfig config, String stageId, String outputDir) {
    for (String field : List.of("repeats", "caption_extension")) {
      String problem = problem(config, field);
      if (problem != null) {
        throw new IllegalArgumentException("stage '" + stageId + "': config." + field + ": " + problem);
      }
    }
    Object repeats = config.get("repeats");
    int fixed = "auto".equals(repeats) ? 0 : ((Long) repeats).intValue();
    String extension = config.getString("caption_extension");
    IdentityMap identities = config.has("identities")
        ? IdentityMap.read(Path.of(config.getString("identities")), stageId) : IdentityMap.none();
    return new DatasetSettings(config.getString("format"), config.getInt("min_images"), config.getInt("max_images"),
        config.getString("noise").equals("keep"), fixed, config.getInt("repeats_target"), config.getInt("max_side"),
        config.getString("image_format"), ImageConfig.colour(config, "background", stageId, null),
        config.getDouble("validation"), Captions.of(config.getString("caption"), stageId), extension,
        config.getString("class_token"), identities, outputDir);
  }

  /** A folder outside the run directory that holds files reelset did not write is refused. */
  @Override
  public void preflight(StageContext context, io.reelset.compile.Preflight checks) {
    String outputDir = context.outputDir();
    if (outputDir == null || insideRunDir(outputDir, context.runDir())) {
      return;
    }
    String refusal = DatasetOwnership.refusal(outputDir, context.config().getBoolean("force"));
    if (refusal != null) {
      checks.problem(context.stageId(), refusal);
    }
  }

  /** The dataset's totals from its stats.json, and where the dataset and its report are. */
  @Override
  public Summary summary(StageContext context) {
    try {
      com.fasterxml.jackson.databind.JsonNode s = io.reelset.compile.OutputFiles.readJson(context.outputDir(),
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
      if (images == 0) {
        lines.add(context.stageId() + ": THE DATASET IS EMPTY: no identity had enough images (min_images) or no"
            + " character was found; look at the clusters and failures in " + context.outputDir()
            + "/report.html, and lower min_images or the clustering's min_cluster_size");
      } else {
        lines.add(context.stageId() + ": review it before training: " + context.outputDir() + "/report.html");
      }
      return new Summary(lines, images == 0);
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
  public List<String> fingerprintFiles(StageConfig config) {
    return config.has("identities") ? List.of(config.getString("identities")) : List.of();
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context) {
    DatasetSettings settings = settings(context.config(), context.stageId(), context.outputDir());
    PCollection<IdentityAssignment> assignments = inputs.merged(IdentityAssignment.class);
    PCollectionTuple selected = assignments
        .apply("Relabel", ParDo.of(new DatasetFns.RelabelFn(settings)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(DatasetFns.CropRef.class)))
        .apply("ByIdentity", GroupByKey.create())
        .apply("Curate", ParDo.of(new DatasetFns.SelectFn(settings))
            .withOutputTags(DatasetFns.SelectFn.SELECTED, TupleTagList.of(DatasetFns.SelectFn.SUMMARIES)));
    PCollectionView<Map<String, DatasetFns.Selection>> selections = selected.get(DatasetFns.SelectFn.SELECTED)
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(DatasetFns.Selection.class)))
        .apply("Selections", View.asMap());
    PCollectionView<List<DatasetFns.IdentitySummary>> summaries = selected.get(DatasetFns.SelectFn.SUMMARIES)
        .setCoder(RecordCoder.of(DatasetFns.IdentitySummary.class))
        .apply("Summaries", View.asList());
    PCollectionTuple written = assignments
        .apply("Write", ParDo.of(new DatasetFns.WriteFn(context.stageId(), settings, selections, summaries,
                context.checkpoints(), Retry.of(context)))
            .withSideInputs(selections, summaries)
            .withOutputTags(DatasetFns.WriteFn.RECORDS, TupleTagList.of(DatasetFns.WriteFn.FAILURES)));
    PCollection<DatasetRecord> records = written.get(DatasetFns.WriteFn.RECORDS).setCoder(DatasetRecordCoder.of());
    PCollection<List<DatasetRecord>> collected = records.apply("Collect", Combine.globally(new CollectFn()))
        .setCoder(ListCoder.of(DatasetRecordCoder.of()));
    collected.apply("Index", ParDo.of(new IndexFn(settings)));
    String clusterReport = context.config().has("cluster_report") ? context.config().getString("cluster_report") : null;
    return new StageResult(records, written.get(DatasetFns.WriteFn.FAILURES).setCoder(FailureCoder.of()),
        allFailures -> report(context.stageId(), settings, collected, summaries, clusterReport, allFailures));
  }

  /** stats.json and report.html, once the run's failures are known (identities.yaml was read once, in expand). */
  private static void report(String stageId, DatasetSettings settings, PCollection<List<DatasetRecord>> records,
      PCollectionView<List<DatasetFns.IdentitySummary>> summaries, String clusterReport,
      PCollection<Failure> allFailures) {
    PCollectionView<FailureDigest> failures = allFailures
        .apply(stageId + "/DigestFailures", Combine.globally(new FailureDigest.Fn()))
        .apply(stageId + "/Failures", View.asSingleton());
    records.apply(stageId + "/Report", ParDo.of(new ReportFn(settings, summaries, failures, clusterReport))
        .withSideInputs(summaries, failures));
  }

  /** Writes stats.json and report.html. */
  static final class ReportFn extends DoFn<List<DatasetRecord>, Void> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;
    private final PCollectionView<List<DatasetFns.IdentitySummary>> summaries;
    private final PCollectionView<FailureDigest> failures;
    private final String clusterReport;

    ReportFn(DatasetSettings settings, PCollectionView<List<DatasetFns.IdentitySummary>> summaries,
        PCollectionView<FailureDigest> failures, String clusterReport) {
      this.settings = settings;
      this.summaries = summaries;
      this.failures = failures;
      this.clusterReport = clusterReport;
    }

    @ProcessElement
    public void process(@Element List<DatasetRecord> records, ProcessContext context) throws Exception {
      List<DatasetFns.IdentitySummary> s = context.sideInput(summaries);
      FailureDigest f = context.sideInput(failures);
      io.reelset.compile.OutputFiles.writeBytes(settings.outputDir(), "stats.json",
          DatasetIndex.stats(records, s, f, settings).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      io.reelset.compile.OutputFiles.writeBytes(settings.outputDir(), "report.html",
          DatasetReport.html(records, s, f, settings, clusterReport).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }

  /** All records in one list (they are small: names, paths, captions). */
  static final class CollectFn extends Combine.CombineFn<DatasetRecord, List<DatasetRecord>, List<DatasetRecord>> {
    private static final long serialVersionUID = 1L;

    @Override
    public List<DatasetRecord> createAccumulator() {
      return new ArrayList<>();
    }

    @Override
    public List<DatasetRecord> addInput(List<DatasetRecord> list, DatasetRecord record) {
      list.add(record);
      return list;
    }

    @Override
    public List<DatasetRecord> mergeAccumulators(Iterable<List<DatasetRecord>> lists) {
      List<DatasetRecord> merged = new ArrayList<>();
      lists.forEach(merged::addAll);
      return merged;
    }

    @Override
    public List<DatasetRecord> extractOutput(List<DatasetRecord> list) {
      return list;
    }

    @Override
    public org.apache.beam.sdk.coders.Coder<List<DatasetRecord>> getAccumulatorCoder(
        org.apache.beam.sdk.coders.CoderRegistry registry, org.apache.beam.sdk.coders.Coder<DatasetRecord> input) {
      return ListCoder.of(DatasetRecordCoder.of());
    }
  }

  /** Writes the index files and removes stale ones once every image is written. */
  static final class IndexFn extends DoFn<List<DatasetRecord>, Void> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;

    IndexFn(DatasetSettings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element List<DatasetRecord> records) throws Exception {
      DatasetIndex.write(records, settings);
    }
  }
}
