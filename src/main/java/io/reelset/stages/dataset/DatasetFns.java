package io.reelset.stages.dataset;

import io.reelset.kit.Checkpoints;
import io.reelset.kit.ItemRecords;
import io.reelset.kit.OutputFiles;
import io.reelset.kit.Retry;
import io.reelset.kit.StageMetrics;
import io.reelset.values.DatasetRecord;
import io.reelset.values.DatasetRecordCoder;
import io.reelset.values.Failure;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.Tag;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollectionView;
import org.apache.beam.sdk.values.TupleTag;

/** The DoFns of the training_data_prep stage. */
final class DatasetFns {
  private DatasetFns() {}

  /**
   * What curation needs of a crop: its key, embedding and size, and the tags core-tag pruning
   * counts (general and character tags, one per line).
   */
  record CropRef(String key, float[] embedding, int width, int height, String tags) implements Serializable {
    static CropRef of(IdentityAssignment a) {
      StringBuilder tags = new StringBuilder();
      for (Tag tag : a.crop().tags()) {
        if (!tag.rating() && !Captions.isCount(tag.name())) {
          tags.append(tag.name()).append('\n');
        }
      }
      return new CropRef(a.key(), a.embedding(), a.crop().width(), a.crop().height(), tags.toString());
    }

    List<String> tagList() {
      return tags.isEmpty() ? List.of() : List.of(tags.split("\n"));
    }
  }

  /** A chosen crop's place in the dataset. */
  record Selection(String identity, String name, String trigger, int index, int repeats, String split)
      implements Serializable {}

  /**
   * One identity as curation saw it, for stats.json.
   *
   * @param small candidates too small to train on (dropped, or kept apart in small/)
   * @param pruned its core tags, left out of its captions, one per line, most frequent first
   */
  record IdentitySummary(String identity, String name, String trigger, int candidates, int selected,
      int repeats, String dropped, int small, String pruned) implements Serializable {
    IdentitySummary(String identity, String name, String trigger, int candidates, int selected, int repeats,
        String dropped) {
      this(identity, name, trigger, candidates, selected, repeats, dropped, 0, "");
    }

    List<String> prunedTags() {
      return pruned.isEmpty() ? List.of() : List.of(pruned.split("\n"));
    }
  }

  /** The identity of the regularisation subset's frames. */
  static final String REG = "reg";

  /** Where an assignment's crop goes: its final identity id (after identities.yaml), or nowhere. */
  static String targetId(IdentityAssignment a, DatasetSettings settings) {
    if (a.source() == IdentityAssignment.Source.REGULARISATION) {
      return REG;
    }
    if (a.isNoise()) {
      return settings.keepNoise() ? "noise" : null;
    }
    IdentityMap.Target target = settings.identities().resolve(a.identity());
    return target == null ? null : target.id();
  }

  /** Keys each kept crop by its final identity. */
  static final class RelabelFn extends DoFn<IdentityAssignment, KV<String, CropRef>> {
    private static final long serialVersionUID = 1L;
    private final DatasetSettings settings;

    RelabelFn(DatasetSettings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element IdentityAssignment a, OutputReceiver<KV<String, CropRef>> out) {
      String id = targetId(a, settings);
      if (id != null) {
        out.output(KV.of(id, CropRef.of(a)));
      }
    }
  }

  /** Curates one identity: the minimum, the most diverse crops up to the maximum, repeats, splits. */
  static final class SelectFn extends DoFn<KV<String, Iterable<CropRef>>, KV<String, Selection>> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<KV<String, Selection>> SELECTED = new TupleTag<>() {};
    static final TupleTag<IdentitySummary> SUMMARIES = new TupleTag<>() {};
    private final DatasetSettings settings;

    SelectFn(DatasetSettings settings) {
      this.settings = settings;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<CropRef>> group, MultiOutputReceiver out) {
      String id = group.getKey();
      List<Curation.Candidate> candidates = new ArrayList<>();
      List<CropRef> small = new ArrayList<>();
      Map<String, CropRef> refs = new HashMap<>();
      for (CropRef ref : group.getValue()) {
        if (!id.equals("noise") && Math.min(ref.width(), ref.height()) < settings.minSide()) {
          small.add(ref);
          continue;
        }
        refs.put(ref.key(), ref);
        candidates.add(new Curation.Candidate(ref.key(), ref.embedding()));
      }
      if (id.equals("noise")) {
        List<Curation.Candidate> all = Curation.mostDiverse(candidates, Integer.MAX_VALUE);
        for (int i = 0; i < all.size(); i++) {
          out.get(SELECTED).output(KV.of(all.get(i).key(), new Selection(id, id, id, i + 1, 0, "noise")));
        }
        out.get(SUMMARIES).output(new IdentitySummary(id, id, id, all.size(), all.size(), 0, "noise, kept apart"));
        return;
      }
      IdentityMap.Target target = settings.identities().resolve(id);
      if (settings.keepSmall()) {
        small.sort(java.util.Comparator.comparing(CropRef::key));
        for (int i = 0; i < small.size(); i++) {
          out.get(SELECTED).output(KV.of(small.get(i).key(),
              new Selection(id, target.name(), target.trigger(), i + 1, 0, "small")));
        }
      }
      int total = candidates.size() + small.size();
      if (candidates.size() < settings.minImages()) {
        String reason = small.isEmpty() ? "fewer than min_images (" + settings.minImages() + ")"
            : "fewer than min_images (" + settings.minImages() + ") of at least min_side (" + settings.minSide()
                + " px)";
        out.get(SUMMARIES).output(new IdentitySummary(id, target.name(), target.trigger(), total, 0, 0, reason,
            small.size(), ""));
        return;
      }
      List<Curation.Candidate> chosen = Curation.mostDiverse(candidates, settings.maxImages());
      List<String> splits = new ArrayList<>();
      for (Curation.Candidate c : chosen) {
        splits.add(Curation.split(c.key(), settings.validationShare()));
      }
      int train = (int) splits.stream().filter("train"::equals).count();
      int repeats = Curation.repeats(train, settings.repeats(), settings.repeatsTarget());
      for (int i = 0; i < chosen.size(); i++) {
        out.get(SELECTED).output(KV.of(chosen.get(i).key(),
            new Selection(id, target.name(), target.trigger(), i + 1, repeats, splits.get(i))));
      }
      List<List<String>> tags = chosen.stream().map(c -> refs.get(c.key()).tagList()).toList();
      out.get(SUMMARIES).output(new IdentitySummary(id, target.name(), target.trigger(), total, chosen.size(),
          repeats, null, small.size(), String.join("\n", coreTags(tags, settings.coreShare(), settings.keepTags()))));
    }
  }

  /**
   * The tags on at least {@code share} of the images (each image's tags counted once, compared
   * normalised), except those to keep; most frequent first, then by name. None when {@code share}
   * is 0.
   */
  static List<String> coreTags(List<List<String>> images, double share, Set<String> keep) {
    if (share <= 0 || images.isEmpty()) {
      return List.of();
    }
    Map<String, Integer> counts = new HashMap<>();
    Map<String, String> shown = new HashMap<>();
    for (List<String> tags : images) {
      Set<String> seen = new HashSet<>();
      for (String tag : tags) {
        String key = io.reelset.vision.WdTagger.normalise(tag);
        if (!keep.contains(key) && seen.add(key)) {
          counts.merge(key, 1, Integer::sum);
          shown.putIfAbsent(key, tag);
        }
      }
    }
    return counts.entrySet().stream()
        .filter(e -> e.getValue() >= share * images.size())
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .map(e -> shown.get(e.getKey()))
        .toList();
  }

  /**
   * The frames of the regularisation subset as assignments of one whole-frame crop each
   * ({@code <frame key>#0}, source {@link IdentityAssignment.Source#REGULARISATION}), so that they
   * are written as the crops are.
   */
  static IdentityAssignment regularisation(io.reelset.values.Frame frame) {
    io.reelset.values.CharacterCrop crop = new io.reelset.values.CharacterCrop(frame.key(), frame.videoKey(),
        frame.ptsMs(), 0, 0, 0, frame.width(), frame.height(), frame.width(), frame.height(), 1, 1, frame.image());
    return new IdentityAssignment(crop, new float[0], REG, Double.NaN, IdentityAssignment.Source.REGULARISATION);
  }

  /** Writes each chosen crop and its caption; temporary name, then rename. */
  static final class WriteFn extends DoFn<IdentityAssignment, DatasetRecord> {
    private static final long serialVersionUID = 1L;
    static final TupleTag<DatasetRecord> RECORDS = new TupleTag<>() {};
    static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
    private final String stageId;
    private final DatasetSettings settings;
    private final PCollectionView<Map<String, Selection>> selections;
    private final PCollectionView<List<IdentitySummary>> summaries;
    private final ItemRecords<DatasetRecord> records;
    private final Retry retry;
    private final Counter written;
    private final Counter done;

    WriteFn(String stageId, DatasetSettings settings, PCollectionView<Map<String, Selection>> selections,
        PCollectionView<List<IdentitySummary>> summaries, Checkpoints checkpoints, Retry retry) {
      this.stageId = stageId;
      this.settings = settings;
      this.selections = selections;
      this.summaries = summaries;
      this.records = ItemRecords.of(stageId, checkpoints, DatasetRecordCoder.of());
      this.retry = retry;
      this.written = Metrics.counter(StageMetrics.namespace(stageId), "images_written");
      this.done = Metrics.counter(StageMetrics.namespace(stageId), StageMetrics.PROGRESS_DONE);
    }

    /** This instance's journal of the files it writes (see {@link DatasetOwnership}). */
    private transient String writer;
    private transient boolean claimed;
    private transient List<IdentitySummary> stemsOf;
    private transient Map<String, String> stems;
    private transient Map<String, Set<String>> pruned;

    /** Each identity's file name stem, worked out once per side input (one entry per identity). */
    private Map<String, String> stems(List<IdentitySummary> all) {
      index(all);
      return stems;
    }

    /** Each identity's core tags, normalised. */
    private Map<String, Set<String>> pruned(List<IdentitySummary> all) {
      index(all);
      return pruned;
    }

    private void index(List<IdentitySummary> all) {
      if (stemsOf != all) {
        Map<String, String> names = new HashMap<>();
        pruned = new HashMap<>();
        for (IdentitySummary summary : all) {
          names.put(summary.identity(), summary.name());
          Set<String> core = new HashSet<>();
          summary.prunedTags().forEach(tag -> core.add(io.reelset.vision.WdTagger.normalise(tag)));
          pruned.put(summary.identity(), core);
        }
        stems = SafeNames.stems(names);
        stemsOf = all;
      }
    }

    @Setup
    public void setup() {
      writer = java.util.UUID.randomUUID().toString();
    }

    @ProcessElement
    public void process(@Element IdentityAssignment a, ProcessContext context) {
      done.inc();
      Selection s = context.sideInput(selections).get(a.key());
      if (s == null || targetId(a, settings) == null) {
        return;
      }
      try {
        boolean reg = s.split().equals(REG);
        String folder = reg ? settings.regFolder() : settings.folder(s.split(), s.repeats(), s.trigger());
        String base = (reg ? REG : stems(context.sideInput(summaries)).get(s.identity())) + "_"
            + String.format("%04d", s.index());
        String file = folder + "/" + base + settings.extension();
        boolean captioned = settings.captioned(s.split());
        String recordKey = a.key() + "|" + file;
        if (records.kept() && Files.isRegularFile(Path.of(settings.outputDir(), file))
            && (!captioned || Files.isRegularFile(Path.of(settings.outputDir(), folder, base + settings.captionExtension())))) {
          List<DatasetRecord> done = records.read(recordKey, one -> one.size() == 1);
          if (done != null) {
            context.output(RECORDS, done.get(0));
            return;
          }
        }
        DatasetImages.Encoded image = DatasetImages.prepare(a.crop().png(), settings.maxSide(),
            settings.maskedLoss() ? -1 : settings.background(), settings.maskDilate(), settings.imageFormat());
        String caption = reg ? SafeNames.text(settings.regClassTokens()) : settings.captions().render(new Captions.Fields(s.trigger(), s.name(), a.crop().videoKey(),
            a.crop().ptsMs(), s.index(), a.crop().tags(),
            pruned(context.sideInput(summaries)).getOrDefault(s.identity(), Set.of())));
        String dir = settings.outputDir() + "/" + folder;
        if (!claimed) {
          DatasetOwnership.claim(settings.outputDir());
          claimed = true;
        }
        DatasetOwnership.journal(settings.outputDir(), writer, captioned
            ? List.of(file, folder + "/" + base + settings.captionExtension()) : List.of(file));
        retry.run(() -> OutputFiles.writeBytes(dir, base + settings.extension(), image.bytes()));
        if (captioned) {
          byte[] text = (caption + "\n").getBytes(StandardCharsets.UTF_8);
          retry.run(() -> OutputFiles.writeBytes(dir, base + settings.captionExtension(), text));
        }
        written.inc();
        DatasetRecord record = new DatasetRecord(s.identity(), s.name(), s.trigger(), file, caption, s.split(),
            image.width(), image.height(), s.repeats(), a.key(), a.crop().videoKey(), a.crop().ptsMs(), a.track());
        records.write(recordKey, List.of(record));
        context.output(RECORDS, record);
      } catch (Exception e) {
        context.output(FAILURES, Failure.of(stageId, a.key(), "cannot write this image into the dataset", e));
      }
    }
  }
}
