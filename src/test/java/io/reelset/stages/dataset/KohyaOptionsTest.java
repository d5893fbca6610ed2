package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.compile.StageRegistry;
import io.reelset.testing.InProcessCli;
import io.reelset.testing.TinyTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kohya options of the training_data_prep stage, each against a golden tree and toml, every
 * toml read by Python's {@code tomllib} and held to the keys sd-scripts accepts; and
 * {@code reelset check-dataset} on a good dataset and on each kind of broken one.
 */
class KohyaOptionsTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final Path GOLDEN = Path.of("src/test/resources/dataset");

  /**
   * The keys of sd-scripts' dataset config, from its documentation (docs/config_README-en.md, the
   * option tables, and library/config_util.py's ConfigSanitizer, sd-scripts v0.9): written here
   * apart from the code that writes and checks tomls, so that this test holds both to sd-scripts.
   */
  private static final List<String> SUBSET_OR_HIGHER = List.of("color_aug", "face_crop_aug_range", "flip_aug",
      "num_repeats", "random_crop", "shuffle_caption", "keep_tokens", "keep_tokens_separator", "secondary_separator",
      "caption_separator", "enable_wildcard", "token_warmup_min", "token_warmup_step", "caption_prefix",
      "caption_suffix", "caption_dropout_every_n_epochs", "caption_dropout_rate", "caption_tag_dropout_rate",
      "caption_extension", "class_tokens", "cache_info");
  private static final List<String> DATASET_OR_HIGHER = List.of("batch_size", "bucket_no_upscale",
      "bucket_reso_steps", "enable_bucket", "max_bucket_reso", "min_bucket_reso", "resolution", "network_multiplier");
  private static final List<String> SUBSET_ONLY = List.of("image_dir", "is_reg", "alpha_mask");

  @TempDir Path dir;

  /** test_assignments (identity_001: 6 blue, identity_002: 5 red; 50x90 and up) → tagging → dataset. */
  private Path run(String name, String config) throws Exception {
    Path tagger = TinyTagger.write(dir.resolve("tagger"), 32);
    Path spec = dir.resolve(name + ".yaml");
    Files.writeString(spec, "name: " + name + "\nstages:\n"
        + "  - id: ids\n    type: test_assignments\n    config:\n"
        + "      identities: {identity_001: 6, identity_002: 5}\n"
        + "      colours: {identity_001: '#2040E0', identity_002: '#E04020'}\n"
        + "  - id: tags\n    type: tagging\n    depends_on: [ids]\n    config: {model: '" + tagger + "'}\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [tags]\n"
        + "    config: {min_images: 2, validation: 0, max_side: 512, " + config + "}\n");
    Path runDir = dir.resolve(name);
    io.reelset.testing.SpecRuns.run(spec, REGISTRY, runDir);
    return runDir.resolve("dataset");
  }

  private static String listing(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return String.join("\n", walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> !p.startsWith(".") && !p.equals("report.html") && !p.equals("stats.json")).sorted().toList())
          + "\n";
    }
  }

  /** The listing and the toml (run directory as {@code <out>}) against their golden files; the toml parses. */
  private void matchesGolden(String name, Path out) throws Exception {
    String toml = Files.readString(out.resolve("dataset_config.toml")).replace(out.toAbsolutePath().toString(), "<out>");
    for (Map.Entry<String, String> e : Map.of(name + ".listing.txt", listing(out), name + ".dataset_config.toml", toml)
        .entrySet()) {
      Path golden = GOLDEN.resolve(e.getKey());
      if (Boolean.getBoolean("reelset.golden.update")) {
        Files.writeString(golden, e.getValue());
      }
      assertEquals(Files.readString(golden), e.getValue(), "differs from " + golden);
    }
    assertEquals("ok", tomllib(out.resolve("dataset_config.toml")));
  }

  /** Python's tomllib reads the file and finds only sd-scripts' keys where they may be: "ok", or what is wrong. */
  private static String tomllib(Path toml) throws Exception {
    String script = String.join("\n",
        "import sys, tomllib",
        "subset = set(sys.argv[2].split(',')); dataset = set(sys.argv[3].split(',')); only = set(sys.argv[4].split(','))",
        "c = tomllib.load(open(sys.argv[1], 'rb'))",
        "bad = [k for k in c if k not in ('general', 'datasets')]",
        "bad += ['general.' + k for k in c.get('general', {}) if k not in subset | dataset]",
        "for d in c['datasets']:",
        "  bad += ['datasets.' + k for k in d if k not in subset | dataset | {'subsets'}]",
        "  for s in d['subsets']:",
        "    bad += ['subsets.' + k for k in s if k not in subset | only]",
        "    assert isinstance(s['num_repeats'], int) and isinstance(s['image_dir'], str)",
        "print('ok' if not bad else 'unknown keys: ' + ', '.join(bad))");
    Process p = new ProcessBuilder("python3", "-c", script, toml.toString(), String.join(",", SUBSET_OR_HIGHER),
        String.join(",", DATASET_OR_HIGHER), String.join(",", SUBSET_ONLY)).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes()).strip();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return output;
  }

  private static String caption(Path out, String identity, String extension) throws Exception {
    try (Stream<Path> walk = Files.walk(out.resolve("img"))) {
      Path first = walk.filter(p -> p.toString().endsWith(extension) && p.getFileName().toString().startsWith(identity))
          .sorted().findFirst().orElseThrow();
      return Files.readString(first);
    }
  }

  @Test
  void tagsWithAKeepTokensSeparator() throws Exception {
    Path out = run("separator", "min_side: 0, caption: '{trigger}, {count} ||| {tags}', keep_tokens_separator: '|||',"
        + " core_tag_share: 0.9, keep_tags: [solo]");
    matchesGolden("kohya-separator", out);
    assertEquals("identity_001, 1girl ||| solo\n", caption(out, "identity_001", ".txt"));
  }

  @Test
  void severalCaptionLinesWithWildcards() throws Exception {
    Path out = run("wildcard", "min_side: 0, caption: ['{trigger}, {tags}', '{trigger}'], core_tag_share: 0,"
        + " caption_extension: .caption");
    matchesGolden("kohya-wildcard", out);
    assertEquals("identity_002, red hair, 1girl, solo, bow (weapon), ^_^, long hair\nidentity_002\n",
        caption(out, "identity_002", ".caption"));
  }

  @Test
  void maskedLossWritesTheMaskAsAlpha() throws Exception {
    Path out = run("masked", "min_side: 0, masked_loss: true, mask_dilate: 2");
    matchesGolden("kohya-masked", out);
    try (Stream<Path> walk = Files.walk(out.resolve("img"))) {
      Path png = walk.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
      java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
      assertTrue(image.getColorModel().hasAlpha(), png + " has alpha");
    }
  }

  @Test
  void relativeImageDirsAndSmallCropsKeptApart() throws Exception {
    // the crops are 50-55 pixels wide: at min_side 53, three of each identity are too small
    Path out = run("relative", "paths: relative, min_side: 53, small: keep");
    matchesGolden("kohya-relative", out);
    String stats = Files.readString(out.resolve("stats.json"));
    assertTrue(stats.contains("\"too_small\" : 6"), stats);
  }

  @Test
  void aRegularisationSubsetOfFramesWithoutCharacters() throws Exception {
    Path spec = dir.resolve("reg.yaml");
    // identity_001's 4 crops come from the frames at 1, 1001, 2001 and 3001 ms; the other 4 frames have none
    Files.writeString(spec, "name: reg\nstages:\n"
        + "  - id: frames\n    type: test_frames\n    config: {pts: [1, 1001, 2001, 3001, 5000, 6000, 7000, 8000]}\n"
        + "  - id: ids\n    type: test_assignments\n    config: {identities: {identity_001: 4}, frame_keys: true}\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [ids, frames]\n"
        + "    config: {min_images: 2, validation: 0, max_side: 512, min_side: 0, reg_images: 3,"
        + " reg_class_tokens: scenery}\n");
    Path runDir = dir.resolve("reg");
    io.reelset.testing.SpecRuns.run(spec, REGISTRY, runDir);
    Path out = runDir.resolve("dataset");
    matchesGolden("kohya-reg", out);
    try (Stream<Path> reg = Files.list(out.resolve("reg/1_scenery"))) {
      List<Path> files = reg.sorted().toList();
      assertEquals(6, files.size(), "3 frames and their captions: " + files);
      for (Path png : files.stream().filter(p -> p.toString().endsWith(".png")).toList()) {
        // test_frames' greys: 40, 77, 114, 151 for the frames with crops; 188, 225, 62, 99 for those without
        int grey = javax.imageio.ImageIO.read(png.toFile()).getRGB(10, 10) & 0xff;
        assertTrue(List.of(188, 225, 62, 99).stream().anyMatch(g -> Math.abs(g - grey) <= 3),
            png + " is a frame without characters: grey " + grey);
      }
    }
    assertEquals("scenery\n", Files.readString(out.resolve("reg/1_scenery/reg_0001.txt")));
    String stats = Files.readString(out.resolve("stats.json"));
    assertTrue(stats.contains("\"images\" : 4,") && stats.contains("\"regularisation\" : 3"), stats);
  }

  @Test
  void checkDatasetPassesAGoodDatasetAndNamesEachProblemOfABrokenOne() throws Exception {
    Path out = run("check", "min_side: 0, caption: '{trigger}, {tags}'");
    InProcessCli.Result good = InProcessCli.reelset("check-dataset", out.toString(), "--min-side", "64");
    assertEquals(0, good.code(), good.err());
    assertEquals("check-dataset: " + out + " is a good kohya_ss dataset; train with:\n  accelerate launch"
        + " train_network.py --dataset_config \"" + out.toAbsolutePath() + "/dataset_config.toml\""
        + " --pretrained_model_name_or_path BASE_MODEL --network_module networks.lora --output_dir OUTPUT_DIR\n",
        good.out());
    assertTrue(Files.readString(out.resolve("stats.json")).contains("\"check\" : [ ]"), "the stage checked it too");
    Path folder;
    try (Stream<Path> folders = Files.list(out.resolve("img"))) {
      folder = folders.sorted().findFirst().orElseThrow();
    }
    String first = folder.getFileName().toString();
    // missing caption
    Files.delete(folder.resolve("identity_001_0001.txt"));
    // too small
    Files.write(folder.resolve("identity_001_0002.png"), TinyTagger.png(40, 30, 0x2040E0));
    // unknown key
    Path toml = out.resolve("dataset_config.toml");
    Files.writeString(toml, Files.readString(toml).replace("[general]\n", "[general]\nshufle_caption = true\n"));
    // bad folder name
    Files.createDirectories(out.resolve("img/identity_003"));
    Files.write(out.resolve("img/identity_003/a.png"), TinyTagger.png(64, 64, 0));
    Files.writeString(out.resolve("img/identity_003/a.txt"), "identity_003\n");
    InProcessCli.Result bad = InProcessCli.reelset("check-dataset", out.toString(), "--min-side", "64");
    assertEquals(2, bad.code());
    assertEquals(String.join("\n",
        out + ": dataset_config.toml: [general]: unknown key 'shufle_caption' (did you mean 'shuffle_caption'?);"
            + " sd-scripts refuses a config with keys it does not know",
        out + ": img/identity_003: folder name is not <repeats>_<name> (e.g. 10_blupi character); kohya_ss skips it",
        out + ": img/" + first + "/identity_001_0001.png: no caption identity_001_0001.txt",
        out + ": img/" + first + "/identity_001_0002.png: 40x30 is under the minimum of 64 pixels on its shorter"
            + " side; the trainer would up-scale it",
        "check-dataset: 4 problems in " + out) + "\n", bad.err());
    InProcessCli.Result none = InProcessCli.reelset("check-dataset", dir.toString());
    assertEquals(2, none.code());
    assertEquals(dir + ": not a dataset: no dataset_config.toml or img/ (kohya_ss) and no train/metadata.jsonl"
        + " (Hugging Face imagefolder)\ncheck-dataset: 1 problem in " + dir + "\n", none.err());
  }
}
