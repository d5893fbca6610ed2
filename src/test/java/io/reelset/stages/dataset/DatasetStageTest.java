package io.reelset.stages.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training_data_prep stage on the DirectRunner, with synthetic identity assignments. */
class DatasetStageTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path GOLDEN = Path.of("src/test/resources/dataset");

  @TempDir Path dir;

  /**
   * Runs test_assignments → training_data_prep into {@code dir/dataset}; the test crops are small
   * (50 × 90 pixels and up), so {@code min_side} is 0 unless the config sets it.
   */
  private Path run(String identities, String config) throws Exception {
    if (!config.contains("min_side")) {
      config = "{min_side: 0, " + config.substring(1);
    }
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, "name: dataset\nstages:\n"
        + "  - id: ids\n    type: test_assignments\n    config: {identities: " + identities + "}\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [ids]\n    config: " + config + "\n");
    Path out = dir.resolve("dataset");
    String configured = config.contains("output_dir") ? config : null;
    io.reelset.testing.SpecRuns.run(spec, REGISTRY, dir.resolve("run"));
    return configured != null ? out : dir.resolve("run/dataset");
  }

  private static List<String> listing(Path root) throws Exception {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static void matchesGolden(String name, String actual) throws Exception {
    Path golden = GOLDEN.resolve(name);
    if (Boolean.getBoolean("reelset.golden.update")) {
      Files.writeString(golden, actual);
    }
    assertEquals(Files.readString(golden), actual, "differs from " + golden);
  }

  @Test
  void kohyaTreeAndTomlMatchTheGoldenListing() throws Exception {
    Path out = run("{identity_001: 12, identity_002: 3, identity_003: 7}",
        "{min_images: 4, max_images: 8, validation: 0.25, repeats_target: 40, caption: '{trigger}, {video} at {timestamp}s'}");
    matchesGolden("kohya.listing.txt", String.join("\n", listing(out)) + "\n");
    String toml = Files.readString(out.resolve("dataset_config.toml")).replace(out.toAbsolutePath().toString(), "<out>");
    matchesGolden("kohya.dataset_config.toml", toml);
    JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
    assertEquals("identity_002", stats.get("dropped").get(0).get("id").asText());
    for (JsonNode identity : stats.get("identities")) {
      long train = identity.get("train").asLong();
      assertEquals(Curation.repeats((int) train, 0, 40), identity.get("repeats").asInt());
    }
    String caption = Files.readString(out.resolve(listing(out).stream().filter(f -> f.endsWith(".txt"))
        .findFirst().orElseThrow()));
    assertTrue(caption.matches("identity_00[13], episode01\\.mkv at \\d+\\.\\d{3}s\n"), caption);
  }

  @Test
  void huggingFaceMetadataLinesParse() throws Exception {
    Path out = run("{identity_001: 10, noise: 3}", "{format: hf, min_images: 2, validation: 0.3, noise: keep,"
        + " image_format: jpg, max_side: 64}");
    int lines = 0;
    for (String split : List.of("train", "validation")) {
      for (String line : Files.readAllLines(out.resolve(split).resolve("metadata.jsonl"))) {
        JsonNode row = JSON.readTree(line);
        assertTrue(Files.isRegularFile(out.resolve(split).resolve(row.get("file_name").asText())), line);
        assertEquals("identity_001", row.get("identity").asText());
        assertEquals("identity_001", row.get("text").asText());
        lines++;
      }
    }
    assertEquals(10, lines);
    assertEquals(3, listing(out.resolve("noise")).stream().filter(f -> f.endsWith(".jpg")).count(),
        "noise is kept apart, not in the dataset");
    for (String f : listing(out.resolve("train"))) {
      if (f.endsWith(".jpg")) {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(out.resolve("train").resolve(f).toFile());
        assertEquals(0, image.getWidth() % 64);
        assertEquals(0, image.getHeight() % 64);
      }
    }
    DatasetCheck.Result good = DatasetCheck.check(out, 64);
    assertEquals(List.of(), good.problems());
    assertEquals("hf", good.format());
    assertTrue(good.command().contains("datasets.load_dataset(\"imagefolder\", data_dir=\""), good.command());
    // a line naming a file that is gone, a line that is not JSON, an image no line names
    Path metadata = out.resolve("train/metadata.jsonl");
    List<String> rows = Files.readAllLines(metadata);
    String gone = JSON.readTree(rows.get(0)).get("file_name").asText();
    Files.move(out.resolve("train").resolve(gone), out.resolve("train/unnamed.jpg"));
    Files.writeString(metadata, String.join("\n", rows) + "\n{\"file_name\": \n");
    assertEquals(List.of("train/metadata.jsonl:1: file_name " + gone + " does not exist",
        "train/metadata.jsonl:" + (rows.size() + 1) + ": not JSON: Unexpected end-of-input within/between"
            + " Object entries",
        "train/unnamed.jpg: not in train/metadata.jsonl (no caption)"), DatasetCheck.check(out, 64).problems());
  }

  @Test
  void identitiesFileRenamesMergesAndDrops() throws Exception {
    Path identities = dir.resolve("identities.yaml");
    Files.writeString(identities, """
        identity_001: {name: Alice, trigger: alc_chr}
        identity_002: {merge: identity_001}
        identity_003: drop
        """);
    Path out = run("{identity_001: 4, identity_002: 3, identity_003: 5, identity_004: 2}",
        "{min_images: 1, validation: 0, repeats: 3, identities: '" + identities + "'}");
    List<String> files = listing(out);
    assertEquals(7, files.stream().filter(f -> f.startsWith("img/3_alc_chr character/Alice_")
        && f.endsWith(".png")).count(), files.toString());
    assertEquals(2, files.stream().filter(f -> f.startsWith("img/3_identity_004 character/")
        && f.endsWith(".png")).count(), files.toString());
    assertFalse(files.stream().anyMatch(f -> f.contains("identity_003")), files.toString());
  }

  @Test
  void hostileNamesStayInsideTheOutputDirectory() throws Exception {
    Path identities = dir.resolve("identities.yaml");
    Files.writeString(identities, "identity_001: {name: ../x, trigger: a/b}\n"
        + "identity_002: {name: \"line\\nbreak\", trigger: \"..\"}\n"
        + "identity_003: {name: " + "n".repeat(300) + "}\n");
    Path out = run("{identity_001: 2, identity_002: 2, identity_003: 2}",
        "{min_images: 1, validation: 0, identities: '" + identities + "', caption: '{name}'}");
    Path root = out.toAbsolutePath().normalize();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (p.getFileName().toString().endsWith(".png")) {
          assertTrue(p.toAbsolutePath().normalize().startsWith(root), p + " is outside " + root);
        }
      }
    }
    List<String> files = listing(out);
    assertTrue(files.contains("img/100_a_b character/x_0001.png"), files.toString());
    assertTrue(files.contains("img/100_unnamed character/line_break_0001.png"), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.endsWith("/" + "n".repeat(64) + "_0001.png")), files.toString());
    String caption = Files.readString(out.resolve("img/100_unnamed character/line_break_0001.txt"));
    assertEquals("line break\n", caption, "no newline inside a caption");
  }

  @Test
  void aRerunLeavesNoDuplicateOrStaleFile() throws Exception {
    String outDir = dir.resolve("dataset").toString();
    run("{identity_001: 10}", "{output_dir: '" + outDir + "', min_images: 1, max_images: 8, validation: 0}");
    List<String> first = listing(Path.of(outDir));
    // what a kill -9 during a write leaves: the temporary of one of reelset's files; and a user's file
    // named like a temporary of a file reelset never wrote
    String image = first.stream().filter(f -> f.endsWith(".png")).findFirst().orElseThrow();
    Path folder = Path.of(outDir).resolve(image).getParent();
    String caption = Path.of(image).getFileName().toString().replace(".png", ".txt");
    Path left = Files.writeString(folder.resolve("." + caption + ".0f8fad5b-d9cb-469f-a165-70867728950e.tmp"), "x");
    Path users = Files.writeString(folder.resolve(".notes.txt.0f8fad5b-d9cb-469f-a165-70867728950e.tmp"), "mine");
    run("{identity_001: 10}", "{output_dir: '" + outDir + "', min_images: 1, max_images: 8, validation: 0}");
    assertFalse(Files.exists(left), "a temporary a killed run left is deleted");
    assertTrue(Files.exists(users), "a file reelset did not write is kept");
    Files.delete(users);
    assertEquals(first, listing(Path.of(outDir)), "the same input writes the same files");
    run("{identity_001: 10}", "{output_dir: '" + outDir + "', min_images: 1, max_images: 5, validation: 0,"
        + " repeats: 7}");
    List<String> third = listing(Path.of(outDir));
    assertEquals(5, third.stream().filter(f -> f.endsWith(".png")).count(), third.toString());
    assertTrue(third.stream().allMatch(f -> !f.startsWith("img/") || f.startsWith("img/7_identity_001 character/")),
        third.toString());
    assertFalse(third.stream().anyMatch(f -> f.contains(".tmp")), third.toString());
  }

  @Test
  void namesThatCleanAlikeOrRunLongInBytesKeepEveryImage() throws Exception {
    Path identities = dir.resolve("identities.yaml");
    String script = "\uD835\uDC9C".repeat(64); // 64 characters of 4 bytes each
    Files.writeString(identities, "identity_001: {name: a/b, trigger: same}\n"
        + "identity_002: {name: a_b, trigger: same}\n"
        + "identity_003: {name: a_b, trigger: same}\n"
        + "identity_004: {name: " + script + "}\n");
    Path out = run("{identity_001: 5, identity_002: 5, identity_003: 5, identity_004: 5}",
        "{min_images: 1, validation: 0.4, identities: '" + identities + "'}");
    List<String> images = listing(out).stream().filter(f -> f.endsWith(".png")).toList();
    assertEquals(20, images.size(), images.toString());
    JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
    assertEquals(20, stats.get("images").asInt());
    assertEquals(images.stream().filter(f -> f.startsWith("val/")).count(), stats.get("validation").asLong());
    assertTrue(images.stream().anyMatch(f -> f.endsWith("/a_b_identity_002_0001.png")), images.toString());
    assertTrue(images.stream().anyMatch(f -> f.endsWith("/a_b_identity_003_0001.png")), images.toString());
    assertTrue(images.stream().anyMatch(f -> f.endsWith("/a_b_identity_001_0001.png")), images.toString());
    for (String image : images) {
      for (String part : image.split("/")) {
        assertTrue(part.getBytes(StandardCharsets.UTF_8).length <= 255, part);
      }
    }
    String toml = Files.readString(out.resolve("dataset_config.toml"));
    assertTrue(toml.contains(SafeNames.component(script, false)), toml);
  }

  @Test
  void aUserFileInEveryFolderTheDatasetWritesSurvivesARunAndARerun() throws Exception {
    String outDir = dir.resolve("dataset").toString();
    String config = "{output_dir: '" + outDir + "', min_images: 1, validation: 0.3, noise: keep}";
    run("{identity_001: 10, identity_002: 6, noise: 3}", config);
    Path root = Path.of(outDir);
    List<Path> folders;
    try (Stream<Path> walk = Files.walk(root)) {
      folders = walk.filter(Files::isDirectory).toList();
    }
    assertTrue(folders.size() >= 6, folders.toString());
    for (Path folder : folders) {
      Files.writeString(folder.resolve("mine.txt"), "the user's\n");
      Files.write(folder.resolve("keep.png"), new byte[] {1, 2, 3});
    }
    run("{identity_001: 10, identity_002: 6, noise: 3}", config);
    // names and folders all change: every file the first runs wrote becomes stale
    run("{identity_001: 4, identity_003: 5}", "{output_dir: '" + outDir + "', min_images: 1, validation: 0,"
        + " repeats: 3, class_token: person}");
    for (Path folder : folders) {
      assertEquals("the user's\n", Files.readString(folder.resolve("mine.txt")), folder.toString());
      assertTrue(Files.isRegularFile(folder.resolve("keep.png")), folder.toString());
    }
    List<String> files = listing(root).stream()
        .filter(f -> !f.endsWith("mine.txt") && !f.endsWith("keep.png")).toList();
    assertEquals(List.of(".reelset-dataset.json", "dataset_config.toml",
        "img/3_identity_001 person/identity_001_0001.png", "img/3_identity_001 person/identity_001_0001.txt"),
        files.subList(0, 4));
    assertTrue(files.stream().noneMatch(f -> f.contains("identity_002") || f.startsWith("noise/")
        || f.contains(" character/") || f.contains(".reelset-journal")), files.toString());
  }

  @Test
  void aForeignFolderIsRefusedWordForWordUnlessForced() throws Exception {
    Path foreign = Files.createDirectories(dir.resolve("photos/img"));
    Files.write(foreign.resolve("keep.png"), new byte[] {1});
    Path spec = dir.resolve("spec.yaml");
    String out = dir.resolve("photos").toString();
    for (String force : List.of("", ", force: true")) {
      Files.writeString(spec, "name: dataset\nstages:\n"
          + "  - id: ids\n    type: test_assignments\n    config: {identities: {identity_001: 3}}\n"
          + "  - id: dataset\n    type: training_data_prep\n    depends_on: [ids]\n"
          + "    config: {output_dir: '" + out + "'" + force + "}\n");
      Plan plan = PlanLoader.load(spec, "spec.yaml", Map.of(), REGISTRY, dir.resolve("run").toString());
      List<String> problems = io.reelset.run.RunLauncher.preflight(plan, REGISTRY, dir.resolve("run").toString())
          .problems();
      assertEquals(force.isEmpty() ? List.of("stage 'dataset': config.output_dir '" + out + "' is not empty"
          + " (img, img/keep.png) and no reelset run wrote it (it has no .reelset-dataset.json); reelset writes a"
          + " dataset only into a new or empty folder or one it wrote before. Choose another output_dir, or set"
          + " force: true in this stage's config to write beside these files (they are never deleted, but a file"
          + " with the name of one reelset writes is replaced)") : List.of(), problems);
    }
    run("{identity_001: 3}", "{output_dir: '" + out + "', min_images: 1, validation: 0, force: true}");
    run("{identity_001: 2}", "{output_dir: '" + out + "', min_images: 1, validation: 0, force: true}");
    assertTrue(Files.isRegularFile(foreign.resolve("keep.png")));
    assertEquals(2, listing(dir.resolve("photos")).stream().filter(f -> f.endsWith("character/identity_001_0001.png")
        || f.endsWith("character/identity_001_0002.png")).count());
  }

  @Test
  void badConfigNamesTheField() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "identity_001: {name: A, colour: red}\nidentity_002: {merge: identity_003}\n"
        + "identity_003: {merge: identity_002}\n");
    String message = assertThrows(IllegalArgumentException.class,
        () -> IdentityMap.read(bad, "dataset")).getMessage();
    assertTrue(message.contains(bad + ":1:25: identity_001: colour: unknown field; allowed: drop, merge, name, trigger"),
        message);
    assertTrue(message.contains("identity_002: merges go round in a circle: identity_002 -> identity_003 -> identity_002"),
        message);
    String caption = assertThrows(IllegalArgumentException.class, () -> Captions.of(List.of("{trigger} {nmae}"), "",
        "dataset")).getMessage();
    assertEquals("stage 'dataset': config.caption: unknown placeholder {nmae}; allowed: {trigger}, {name}, {count},"
        + " {character_tags}, {tags}, {rating}, {video}, {timestamp}, {index}", caption);
  }
}
