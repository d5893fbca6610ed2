package io.reelset.stages.tagging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.PlanLoader;
import io.reelset.spec.SpecException;
import io.reelset.testing.TinyTagger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stage {@code tagging} on the DirectRunner with a tagger the test builds ({@link TinyTagger}: blue
 * crops get {@code blue_hair} and the character {@code blupi_(planet_blupi)}, red ones
 * {@code red_hair}, every crop {@code 1girl}, {@code solo} and a few fixed tags), read by the
 * dataset stage's captions and its per-identity core-tag pruning.
 */
class TaggingStageTest {
  private static final StageRegistry REGISTRY = StageRegistry.discover();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  /** identity_001: 6 blue crops; identity_002: 8 crops, red but every fourth blue. */
  private Path run(String tagging, String dataset) throws Exception {
    Path tagger = TinyTagger.write(dir.resolve("tagger"), 32);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec, "name: tagged\nstages:\n"
        + "  - id: ids\n    type: test_assignments\n    config:\n"
        + "      identities: {identity_001: 6, identity_002: 8}\n"
        + "      colours: {identity_001: '#2040E0', identity_002: ['#E04020', '#E04020', '#E04020', '#2040E0']}\n"
        + "  - id: tags\n    type: tagging\n    depends_on: [ids]\n    config: {model: '" + tagger + "'"
        + (tagging.isEmpty() ? "" : ", " + tagging) + "}\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [tags]\n"
        + "    config: {min_images: 2, validation: 0, min_side: 0, " + dataset + "}\n");
    io.reelset.testing.SpecRuns.run(spec, REGISTRY, dir.resolve("run"));
    return dir.resolve("run/dataset");
  }

  /** Caption text by identity ({@code img/<repeats>_<identity> character}), sorted. */
  private static Map<String, List<String>> captions(Path out) throws Exception {
    Map<String, List<String>> byFolder = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(out.resolve("img"))) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
        String folder = p.getParent().getFileName().toString();
        byFolder.computeIfAbsent(folder.substring(folder.indexOf('_') + 1, folder.lastIndexOf(' ')),
                k -> new ArrayList<>())
            .add(Files.readString(p).strip());
      }
    }
    byFolder.values().forEach(list -> list.sort(null));
    return byFolder;
  }

  @Test
  void coreTagsArePrunedPerIdentityAndTheRestFillTheCaption() throws Exception {
    Path out = run("", "caption: '{trigger}, {count} ||| {character_tags}, {tags}', keep_tokens_separator: '|||',"
        + " keep_tags: [solo]");
    Map<String, List<String>> captions = captions(out);
    // identity_001: blue everywhere, so blue hair and the character tag are its core tags; solo is kept
    assertEquals(List.of("identity_001, 1girl ||| solo"), captions.get("identity_001").stream()
        .distinct().toList(), captions.toString());
    // identity_002: red hair is its core tag; the blue crops keep blue hair and the character tag (2 of 8)
    List<String> second = captions.get("identity_002");
    assertEquals(6, second.stream().filter("identity_002, 1girl ||| solo"::equals).count(), second.toString());
    assertEquals(2, second.stream().filter("identity_002, 1girl ||| blupi (planet blupi), blue hair, solo"::equals)
        .count(), second.toString());
    JsonNode stats = JSON.readTree(out.resolve("stats.json").toFile());
    // most frequent first, then by name
    assertEquals(List.of("^_^", "blue hair", "blupi (planet blupi)", "bow (weapon)", "long hair"),
        texts(stats.get("identities").get(0).get("core_tags")));
    assertEquals(List.of("^_^", "bow (weapon)", "long hair", "red hair"),
        texts(stats.get("identities").get(1).get("core_tags")));
    String toml = Files.readString(out.resolve("dataset_config.toml"));
    assertTrue(toml.contains("shuffle_caption = true\nkeep_tokens_separator = \"|||\"\n"), toml);
    assertTrue(!toml.contains("keep_tokens ="), toml);
    String report = Files.readString(out.resolve("report.html"));
    assertTrue(report.contains("the trigger absorbs: ^_^, blue hair, blupi (planet blupi), bow (weapon), long hair"),
        "report.html names identity_001's core tags");
  }

  @Test
  void afterClusteringTheAssignmentsGoOnTaggedAndSeveralCaptionLinesMakeWildcards() throws Exception {
    Path out = run("escape_parentheses: true, undesired: [solo]",
        "caption: ['{trigger}, {tags}', '{trigger} from {video}'], core_tag_share: 0");
    List<String> first = captions(out).get("identity_001");
    assertEquals(List.of("identity_001, blue hair, 1girl, bow \\(weapon\\), ^_^, long hair\n"
        + "identity_001 from episode01.mkv"), first.stream().distinct().toList());
    String toml = Files.readString(out.resolve("dataset_config.toml"));
    assertTrue(toml.contains("shuffle_caption = true\nkeep_tokens = 1\nenable_wildcard = true\n"), toml);
  }

  @Test
  void aTaggingStageReadsCropsOrAssignmentsAndPassesTheirKindOn() throws Exception {
    Path spec = dir.resolve("wrong.yaml");
    Files.writeString(spec, "name: wrong\nstages:\n"
        + "  - id: src\n    type: test_source\n"
        + "  - id: tags\n    type: tagging\n    depends_on: [src]\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [tags]\n");
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> PlanLoader.load(spec, "wrong.yaml", Map.of(), REGISTRY, dir.resolve("run").toString()));
    assertTrue(e.getMessage().contains("stage 'tags': depends_on: 'src' (test_source) produces Text, but a tagging"
        + " stage reads CharacterCrop or IdentityAssignment"), e.getMessage());
  }

  @Test
  void aMissingOrMismatchedTaggerIsAPreflightError() throws Exception {
    Path tagger = TinyTagger.write(dir.resolve("tagger"), 32);
    Path spec = dir.resolve("missing.yaml");
    String stages = "name: missing\nstages:\n"
        + "  - id: ids\n    type: test_assignments\n    config: {identities: {identity_001: 3}}\n"
        + "  - id: tags\n    type: tagging\n    depends_on: [ids]\n    config: {model: '%s', tags: '%s'}\n";
    Files.writeString(spec, String.format(stages, dir.resolve("nothing/model.onnx"), dir.resolve("tagger/selected_tags.csv")));
    io.reelset.testing.InProcessCli.Result missing = io.reelset.testing.InProcessCli.reelset("run", spec.toString(),
        "--runs-dir", dir.resolve("runs").toString());
    assertEquals(2, missing.code(), missing.err());
    assertTrue(missing.err().contains("stage 'tags': config.model: model file " + dir.resolve("nothing/model.onnx")
        + " does not exist; expected an ONNX tagger model (a WD14-format tagger: model.onnx and selected_tags.csv,"
        + " e.g. SmilingWolf/wd-swinv2-tagger-v3; see the README)"), missing.err());
    Path shortList = dir.resolve("short.csv");
    Files.writeString(shortList, "tag_id,name,category,count\n1,solo,0,5\n");
    Files.writeString(spec, String.format(stages, tagger, shortList));
    io.reelset.testing.InProcessCli.Result mismatched = io.reelset.testing.InProcessCli.reelset("run", spec.toString(),
        "--runs-dir", dir.resolve("runs").toString());
    assertEquals(2, mismatched.code(), mismatched.err());
    assertTrue(mismatched.err().contains("stage 'tags': config.model: model " + tagger + " output 'output' has shape"
        + " [-1, 13], but " + shortList + " lists 1 tags; expected [N, 1] (is it the tag list of this model?)"),
        mismatched.err());
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
