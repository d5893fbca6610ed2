package io.reelset.vision;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.StageContext;
import io.reelset.media.Sampling;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.StageConfig;
import io.reelset.stages.frames.ExtractFrames;
import io.reelset.stages.segmentation.SegmentCharacters;
import io.reelset.stages.segmentation.SegmentationConfig;
import io.reelset.values.CharacterCrop;
import io.reelset.values.Frame;
import io.reelset.vision.cluster.Tracks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;

/**
 * Real footage whose character crops are labelled by hand: the identity benchmark's real sets.
 *
 * <p>Each set is a few clips fetched by {@code scripts/fetch-media.sh} into {@code media/clips},
 * sampled and cut into character crops by the project's own frame extraction and segmentation (the
 * ISNet model, with the quickstart's crop settings; only the frames the labels name, where a set
 * has labels). The crops are kept under
 * {@code target/identity-crops/<set>} (one PNG and one JSON line per crop), made again only when
 * that folder is missing. Labels are in {@code src/test/resources/identity/<set>.tsv}, one line per
 * crop: video key, pts, box ({@code x y width height}) and the character, or {@code -} for a crop
 * that is not a character (a prop, a fragment, scenery); a crop takes the label of the labelled box
 * of its frame it overlaps most (intersection over union at least 0.5), so small changes to
 * segmentation keep the labels.
 */
public final class RealClips {
  /** The label of a crop that is not a character. */
  public static final String NOT_A_CHARACTER = "-";
  /** The label of a crop no labelled box matches. */
  public static final String UNLABELLED = "?";
  static final Path CACHE = Path.of("target/identity-crops");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A clip of a set: a video, sampled at {@code fps}, its frames from {@code fromMs} to {@code toMs}. */
  public record Clip(String file, double fps, long fromMs, long toMs) {}

  /** A labelled set of real clips. */
  public record Set(String name, String what, List<Clip> clips) {}

  /** The sets: two real animations with several characters each, and more of one of them held out. */
  public static final List<Set> SETS = List.of(
      new Set("blupi", "Planet Blupi's 3D cartoon clips: Blupi (several at once), a robot, a spider", List.of(
          new Clip("media/clips/blupi/play101.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi/play103.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi/play107.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi/play108.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi/history2.mkv", 1, 0, 11_000))),
      new Set("blupi-b", "Planet Blupi's other clips, held out from every default: Blupi by day, in snow, in a car at"
          + " night and in a crowd under disco lights, the robot; a bulldozer, a fountain, glass props", List.of(
          new Clip("media/clips/blupi-b/play105.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play110.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play113.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play116.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play118.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play119.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/play124.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/win005.mkv", 1, 0, Long.MAX_VALUE),
          new Clip("media/clips/blupi-b/win129.mkv", 1, 0, Long.MAX_VALUE))),
      new Set("fillets", "Fish Fillets' CG intro: two fish in shot together, aliens in groups", List.of(
          new Clip("media/clips/fillets/intro.mpg", 2, 40_500, 52_000),
          new Clip("media/clips/fillets/intro.mpg", 2, 63_500, 68_000))));

  private RealClips() {}

  /** Whether the clips have been fetched. */
  public static boolean available() {
    return SETS.stream().flatMap(s -> s.clips().stream()).allMatch(c -> Files.isRegularFile(Path.of(c.file())))
        && Files.isRegularFile(Path.of("models/isnet-medium.onnx"));
  }

  /** A crop of a real set with its hand-made label. */
  public record LabelledCrop(CharacterCrop crop, String label) {
    public boolean isCharacter() {
      return !label.equals(NOT_A_CHARACTER) && !label.equals(UNLABELLED);
    }
  }

  /** The crops of {@code set}, segmented once and kept, each with its label. */
  public static List<LabelledCrop> crops(Set set) throws IOException {
    // -Dreelset.growThreshold=G segments with hysteresis (SegmentationConfig.growThreshold), kept apart
    String grow = System.getProperty("reelset.growThreshold");
    Path dir = CACHE.resolve(grow == null ? set.name() : set.name() + "-grow" + grow);
    if (!Files.isRegularFile(dir.resolve("done"))) {
      segment(set, dir);
    }
    Map<String, List<String[]>> labels = labels(set.name());
    List<LabelledCrop> out = new ArrayList<>();
    for (CharacterCrop crop : read(dir)) {
      out.add(new LabelledCrop(crop, label(crop, labels.getOrDefault(frame(crop.videoKey(), crop.ptsMs()), List.of()))));
    }
    return out;
  }

  private static String frame(String videoKey, long ptsMs) {
    return videoKey + "@" + ptsMs;
  }

  /** The labels of a set: per frame, its labelled boxes ({@code x y w h label}). */
  static Map<String, List<String[]>> labels(String set) throws IOException {
    Map<String, List<String[]>> labels = new HashMap<>();
    try (var in = RealClips.class.getResourceAsStream("/identity/" + set + ".tsv")) {
      if (in == null) {
        return labels;
      }
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t");
        labels.computeIfAbsent(frame(f[0], Long.parseLong(f[1])), k -> new ArrayList<>())
            .add(new String[] {f[2], f[3], f[4], f[5], f[6]});
      }
    }
    return labels;
  }

  private static String label(CharacterCrop crop, List<String[]> boxes) {
    String best = UNLABELLED;
    double bestIou = 0.5;
    for (String[] b : boxes) {
      double iou = Tracks.overlap(crop.x(), crop.y(), crop.width(), crop.height(), Integer.parseInt(b[0]), Integer.parseInt(b[1]),
          Integer.parseInt(b[2]), Integer.parseInt(b[3]));
      if (iou >= bestIou) {
        bestIou = iou;
        best = b[4];
      }
    }
    return best;
  }

  /** Runs frame extraction and segmentation over the set's clips, writing every crop under {@code dir}. */
  private static void segment(Set set, Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> old = Files.walk(dir)) {
        for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
    DirectOptions options = PipelineOptionsFactory.create().as(DirectOptions.class);
    options.setBlockOnRun(true);
    options.setEnforceImmutability(false);
    options.setEnforceEncodability(false);
    Pipeline p = Pipeline.create(options);
    List<PCollection<Frame>> frames = new ArrayList<>();
    int i = 0;
    for (Clip clip : set.clips()) {
      long from = clip.fromMs();
      long to = clip.toMs();
      frames.add(p.apply("Frames" + i, ExtractFrames.from(clip.file(), "frames")
              .withSampling(new Sampling(Sampling.Mode.FPS, 1, clip.fps(), 0)))
          .output()
          .apply("Window" + i++, Filter.by((Frame f) -> f.ptsMs() >= from && f.ptsMs() < to)));
    }
    // only the frames the labels name: the others gave no crop when the set was labelled (every crop
    // was), and segmenting them again took a sixth of the benchmark's time for nothing. To label
    // again after a change to segmentation, -Dreelset.allFrames=true segments every sampled frame.
    java.util.Set<String> labelled = Boolean.getBoolean("reelset.allFrames") ? java.util.Set.of()
        : new java.util.HashSet<>(labels(set.name()).keySet());
    PCollection<Frame> toSegment = PCollectionList.of(frames).apply(Flatten.pCollections())
        .apply("Labelled", Filter.by((Frame f) -> labelled.isEmpty() || labelled.contains(frame(f.videoKey(), f.ptsMs()))));
    Map<String, Object> settings = new HashMap<>(Map.of("min_area", 0.02, "padding", 0.05, "batch_size", 2));
    if (System.getProperty("reelset.growThreshold") != null) {
      settings.put("grow_threshold", Double.parseDouble(System.getProperty("reelset.growThreshold")));
    }
    SegmentationConfig config = ConfigSchema.defaults(SegmentationConfig.class, settings);
    StageContext context = new StageContext("characters", "segmentation", new StageConfig(Map.of()),
        dir.resolve("stage").toString(), dir.toString(), null);
    toSegment.apply("Characters", SegmentCharacters.of(config, context))
        .output()
        .apply("Keep", ParDo.of(new Keep(dir.toString())));
    p.run().waitUntilFinish();
    Files.writeString(dir.resolve("done"), "");
  }

  /** Writes each crop as {@code <key>.png} and {@code <key>.json}. */
  private static final class Keep extends DoFn<CharacterCrop, Void> {
    private static final long serialVersionUID = 1L;
    private final String dir;

    Keep(String dir) {
      this.dir = dir;
    }

    @ProcessElement
    public void process(@Element CharacterCrop c) throws IOException {
      String name = c.key().replace('/', '_');
      Files.write(Path.of(dir, name + ".png"), c.png());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("frameKey", c.frameKey());
      meta.put("videoKey", c.videoKey());
      meta.put("ptsMs", c.ptsMs());
      meta.put("instance", c.instance());
      meta.put("x", c.x());
      meta.put("y", c.y());
      meta.put("width", c.width());
      meta.put("height", c.height());
      meta.put("frameWidth", c.frameWidth());
      meta.put("frameHeight", c.frameHeight());
      meta.put("areaFraction", c.areaFraction());
      meta.put("quality", c.quality());
      Files.writeString(Path.of(dir, name + ".json"), JSON.writeValueAsString(meta));
    }
  }

  private static List<CharacterCrop> read(Path dir) throws IOException {
    List<CharacterCrop> crops = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path json : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        var m = JSON.readTree(json.toFile());
        Path png = Path.of(json.toString().replaceFirst("\\.json$", ".png"));
        crops.add(new CharacterCrop(m.get("frameKey").asText(), m.get("videoKey").asText(), m.get("ptsMs").asLong(),
            m.get("instance").asInt(), m.get("x").asInt(), m.get("y").asInt(), m.get("width").asInt(),
            m.get("height").asInt(), m.get("frameWidth").asInt(), m.get("frameHeight").asInt(),
            m.get("areaFraction").asDouble(), m.get("quality").asDouble(), Files.readAllBytes(png)));
      }
    }
    return crops;
  }

  /**
   * Segments every set (if not kept already) and prints each crop's line for labelling: video key,
   * pts, box and the label it has now.
   */
  public static void main(String[] args) throws Exception {
    for (Set set : SETS) {
      if (args.length > 0 && !List.of(args).contains(set.name())) {
        continue;
      }
      for (LabelledCrop c : crops(set)) {
        CharacterCrop k = c.crop();
        System.out.printf("%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s%n", set.name(), k.videoKey(), k.ptsMs(), k.x(), k.y(),
            k.width(), k.height(), c.label());
      }
    }
  }
}
