package io.reelset.stages.dataset;

import io.reelset.kit.OutputFiles;
import io.reelset.compile.StageContext;
import io.reelset.values.DatasetRecord;
import io.reelset.values.DatasetRecordCoder;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.Frame;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.values.RecordCoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.View;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * A ready-to-train dataset from identity assignments: curated per identity (the most diverse crops,
 * repeats, a validation split), each image written with its caption, the index files
 * ({@code dataset_config.toml} or {@code metadata.jsonl}); a crop that cannot be written is a
 * {@link Failure}. Once the run's failures are known, {@link #report} adds {@code stats.json} and
 * {@code report.html}.
 */
public final class WriteTrainingData
    extends PTransform<PCollection<IdentityAssignment>, WithFailures.Result<PCollection<DatasetRecord>, Failure>> {
  private static final long serialVersionUID = 1L;

  private final DatasetSettings settings;
  private final String clusterReport;
  private final StageContext context;
  /** Made by {@link #expand}, read by {@link #report}. */
  private transient PCollection<List<DatasetRecord>> collected;
  private transient PCollectionView<List<DatasetFns.IdentitySummary>> summaries;
  private transient PCollectionView<List<String>> checked;
  /** Frames, for the regularisation subset; null without one. */
  private transient PCollection<Frame> frames;

  private WriteTrainingData(DatasetSettings settings, String clusterReport, StageContext context) {
    this.settings = settings;
    this.clusterReport = clusterReport;
    this.context = context;
  }

  /** As {@code config} says, into the stage's output_dir, with its records and retries. */
  public static WriteTrainingData of(DatasetConfig config, StageContext context) {
    return new WriteTrainingData(config.settings(context.stageId(), context.outputDir()), config.clusterReport(),
        context);
  }

  /**
   * With {@code frames} (null for none): with {@code reg_images}, those without a character make
   * the regularisation subset.
   */
  public WriteTrainingData withFrames(PCollection<Frame> frames) {
    this.frames = frames;
    return this;
  }

  @Override
  public WithFailures.Result<PCollection<DatasetRecord>, Failure> expand(PCollection<IdentityAssignment> assignments) {
    PCollectionTuple selected = assignments
        .apply("Relabel", ParDo.of(new DatasetFns.RelabelFn(settings)))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(DatasetFns.CropRef.class)))
        .apply("ByIdentity", GroupByKey.create())
        .apply("Curate", ParDo.of(new DatasetFns.SelectFn(settings))
            .withOutputTags(DatasetFns.SelectFn.SELECTED, TupleTagList.of(DatasetFns.SelectFn.SUMMARIES)));
    KvCoder<String, DatasetFns.Selection> selectionCoder =
        KvCoder.of(StringUtf8Coder.of(), RecordCoder.of(DatasetFns.Selection.class));
    PCollection<KV<String, DatasetFns.Selection>> chosen = selected.get(DatasetFns.SelectFn.SELECTED)
        .setCoder(selectionCoder);
    PCollection<IdentityAssignment> toWrite = assignments;
    if (frames != null && settings.regImages() > 0) {
      Regularisation.Chosen reg = Regularisation.frames(frames, assignments, settings.regImages());
      chosen = PCollectionList.of(chosen)
          .and(reg.assignments().apply("RegSelections", ParDo.of(new Regularisation.SelectionFn(settings, reg.keys()))
              .withSideInputs(reg.keys())).setCoder(selectionCoder))
          .apply("AllSelections", Flatten.pCollections());
      toWrite = PCollectionList.of(assignments).and(reg.assignments()).apply("WithReg", Flatten.pCollections())
          .setCoder(IdentityAssignmentCoder.of());
    }
    PCollectionView<Map<String, DatasetFns.Selection>> selections = chosen.apply("Selections", View.asMap());
    summaries = selected.get(DatasetFns.SelectFn.SUMMARIES)
        .setCoder(RecordCoder.of(DatasetFns.IdentitySummary.class))
        .apply("Summaries", View.asList());
    PCollectionTuple written = toWrite
        .apply("Write", ParDo.of(new DatasetFns.WriteFn(context.stageId(), settings, selections, summaries,
                context.checkpoints(), context.retryPolicy()))
            .withSideInputs(selections, summaries)
            .withOutputTags(DatasetFns.WriteFn.RECORDS, TupleTagList.of(DatasetFns.WriteFn.FAILURES)));
    PCollection<DatasetRecord> records = written.get(DatasetFns.WriteFn.RECORDS).setCoder(DatasetRecordCoder.of());
    collected = records.apply("Collect", Combine.globally(new CollectFn()))
        .setCoder(ListCoder.of(DatasetRecordCoder.of()));
    checked = collected.apply("Index", ParDo.of(new IndexFn(settings)))
        .setCoder(ListCoder.of(StringUtf8Coder.of()))
        .apply("Checked", View.asSingleton());
    return WithFailures.Result.of(records, written.get(DatasetFns.WriteFn.FAILURES).setCoder(FailureCoder.of()));
  }

  /** stats.json and report.html, once the run's failures are known; after {@link #expand}. */
  public void report(PCollection<Failure> allFailures) {
    if (collected == null) {
      throw new IllegalStateException("WriteTrainingData.report: apply the transform first");
    }
    String stageId = context.stageId();
    PCollectionView<FailureDigest> failures = allFailures
        .apply(stageId + "/DigestFailures", Combine.globally(new FailureDigest.Fn()))
        .apply(stageId + "/Failures", View.asSingleton());
    collected.apply(stageId + "/Report", ParDo.of(new ReportFn(settings, summaries, failures, checked, clusterReport))
        .withSideInputs(summaries, failures, checked));
  }

  /** Writes stats.json and report.html. */
  static final class ReportFn extends DoFn<List<DatasetRecord>, Void> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;
    private final PCollectionView<List<DatasetFns.IdentitySummary>> summaries;
    private final PCollectionView<FailureDigest> failures;
    private final PCollectionView<List<String>> checked;
    private final String clusterReport;

    ReportFn(DatasetSettings settings, PCollectionView<List<DatasetFns.IdentitySummary>> summaries,
        PCollectionView<FailureDigest> failures, PCollectionView<List<String>> checked, String clusterReport) {
      this.settings = settings;
      this.summaries = summaries;
      this.failures = failures;
      this.checked = checked;
      this.clusterReport = clusterReport;
    }

    @ProcessElement
    public void process(@Element List<DatasetRecord> records, ProcessContext context) throws Exception {
      List<DatasetFns.IdentitySummary> s = context.sideInput(summaries);
      FailureDigest f = context.sideInput(failures);
      List<String> problems = context.sideInput(checked);
      OutputFiles.writeBytes(settings.outputDir(), "stats.json",
          DatasetIndex.stats(records, s, f, problems, settings).getBytes(StandardCharsets.UTF_8));
      OutputFiles.writeBytes(settings.outputDir(), "report.html",
          DatasetReport.html(records, s, f, problems, settings, clusterReport).getBytes(StandardCharsets.UTF_8));
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

  /**
   * Writes the index files and removes stale ones once every image is written, then checks the
   * dataset as check-dataset does: its problems, one line each (none for an empty dataset, which
   * is said loudly elsewhere).
   */
  static final class IndexFn extends DoFn<List<DatasetRecord>, List<String>> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;

    IndexFn(DatasetSettings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element List<DatasetRecord> records, OutputReceiver<List<String>> out) throws Exception {
      DatasetIndex.write(records, settings);
      boolean any = records.stream().anyMatch(r -> !DatasetSettings.apart(r.split()));
      // images are cut to multiples of 64 pixels: a crop of min_side comes out at least this size
      out.output(any ? DatasetCheck.check(Path.of(settings.outputDir()), settings.minSide() / 64 * 64).problems()
          : List.of());
    }
  }
}
