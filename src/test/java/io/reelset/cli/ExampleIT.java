package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.testing.ReelsetJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the shaded jar as a user does, in its own JVM: the examples validate, the inventory
 * example runs over the fetched media, and bad input exits 2 without a stack trace. The quickstart
 * ({@code examples/dataset.yaml}) is run, killed and resumed in {@link ResumeIT}.
 */
class ExampleIT {
  private static final Path RUNS = Path.of("target/it-runs");

  private static ReelsetJar.Result reelset(String... args) throws IOException, InterruptedException {
    return ReelsetJar.run(args);
  }

  /**
   * The launcher script, as the README tells users to run it, with the class data sharing archive
   * (mapped once a run wrote it) and without it ({@code REELSET_CDS=off}, which once failed on an
   * empty option list).
   */
  @Test
  void theLauncherStartsWithAndWithoutTheClassDataArchive() throws Exception {
    for (String cds : List.of("off", "on", "on")) {
      ProcessBuilder launcher = new ProcessBuilder("scripts/reelset", "--version").redirectErrorStream(true);
      launcher.environment().put("REELSET_CDS", cds);
      Process p = launcher.start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES), "scripts/reelset --version did not end");
      assertEquals(0, p.exitValue(), "REELSET_CDS=" + cds + ": " + out);
      assertThat(out, containsString("reelset"));
      assertThat(out, not(containsString("unbound")));
    }
  }

  @Test
  void everyExampleValidates() throws Exception {
    try (Stream<Path> examples = Files.list(Path.of("examples"))) {
      for (Path example : examples.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        ReelsetJar.Result r = reelset("validate", example.toString());
        assertEquals(0, r.code(), example + ": " + r.err());
      }
    }
  }

  @Test
  void theInventoryExampleListsTheFetchedMedia() throws Exception {
    assertTrue(Files.exists(Path.of("media/videos/cockatoo.mp4")), "fetch the example media first: scripts/fetch-media.sh");
    String runId = "inventory-" + System.nanoTime();
    ReelsetJar.Result r = reelset("run", "examples/inventory.yaml", "--runs-dir", RUNS.toString(), "--run-id", runId);
    assertEquals(0, r.code(), r.err());
    assertThat(r.err(), containsString("videos: 3 out"));
    ObjectMapper json = new ObjectMapper();
    List<String> keys = new ArrayList<>();
    for (String line : Files.readAllLines(RUNS.resolve(runId).resolve("videos/videos.jsonl"))) {
      keys.add(json.readTree(line).get("key").asText());
    }
    assertEquals(List.of("cockatoo.mp4-332ab1407b74", "small_movie.mp4-966c7942218b",
        "tupi-example.avi-6733796a177e"), keys);
    assertEquals("completed", json.readTree(RUNS.resolve(runId).resolve("status.json").toFile()).get("state").asText());
  }

  @Test
  void theFramesExampleSavesFramesOfEveryVideo() throws Exception {
    assertTrue(Files.exists(Path.of("media/videos/cockatoo.mp4")), "fetch the example media first: scripts/fetch-media.sh");
    String runId = "frames-" + System.nanoTime();
    ReelsetJar.Result r = reelset("run", "examples/frames.yaml", "--runs-dir", RUNS.toString(), "--run-id", runId);
    assertEquals(0, r.code(), r.err());
    Path run = RUNS.resolve(runId);
    ObjectMapper json = new ObjectMapper();
    var status = json.readTree(run.resolve("status.json").toFile());
    assertEquals("completed", status.get("state").asText());
    long output = status.at("/stages/frames/counters/output").asLong();
    assertEquals(3, status.at("/stages/frames/counters/videos_probed").asLong());
    List<String> saved = new ArrayList<>();
    try (Stream<Path> files = Files.walk(run.resolve("frames"))) {
      files.filter(Files::isRegularFile).forEach(f -> saved.add(run.resolve("frames").relativize(f).toString()));
    }
    assertEquals(output, saved.size());
    assertTrue(saved.contains("cockatoo.mp4-332ab1407b74/000000450.jpg"), saved.toString());
    assertTrue(saved.contains("tupi-example.avi-6733796a177e/000000444.jpg"), saved.toString());
    assertTrue(saved.contains("small_movie.mp4-966c7942218b/000000416.jpg"), saved.toString());
    assertTrue(saved.stream().allMatch(f -> f.matches("[^/]+-[0-9a-f]{12}/[0-9]{9}\\.jpg")), saved.toString());
  }

  @Test
  void badInputExitsTwoWithoutAStackTrace() throws Exception {
    ReelsetJar.Result missing = reelset("run", "examples/no-such-pipeline.yaml");
    assertEquals(2, missing.code());
    assertEquals("examples/no-such-pipeline.yaml: no such file\n1 problem found\n", missing.err());

    ReelsetJar.Result typo = reelset("validate", "src/test/resources/specs/invalid/tabs.yaml");
    assertEquals(2, typo.code());
    assertThat(typo.err(), not(containsString("at io.reelset")));
    assertThat(typo.err(), not(containsString("Exception")));

    // a model whose input size is not the configured one fails before anything runs, not on every frame;
    // validate reads the file only, so this is run's to find
    Path wrongSize = Files.createTempFile("wrong-size", ".yaml");
    Files.writeString(wrongSize, "name: size\nstages:\n  - id: frames\n    type: frame_extraction\n"
        + "    config: {input: media}\n  - id: characters\n    type: segmentation\n    depends_on: [frames]\n"
        + "    config: {input_size: 512}\n");
    assertEquals(0, reelset("validate", wrongSize.toString()).code());
    Path runs = Files.createTempDirectory("wrong-size-runs");
    ReelsetJar.Result size = reelset("run", wrongSize.toString(), "--runs-dir", runs.toString());
    assertEquals(2, size.code());
    try (var created = Files.list(runs)) {
      assertEquals(0, created.count(), "nothing is created for bad input");
    }
    assertThat(size.err(), containsString("stage 'characters': config.model: model "));
    assertThat(size.err(), containsString("takes 1024x1024 images (input 'input' "));
    assertThat(size.err(), containsString("), not 512x512; set input_size: 1024 or leave it out"));

    ReelsetJar.Result badParam = reelset("run", "examples/inventory.yaml", "--param", "vidoes=x");
    assertEquals(2, badParam.code());
    assertEquals("--param vidoes=x: unknown param 'vidoes' (did you mean 'videos'?); declared: videos\n"
        + "1 problem found\n", badParam.err());
  }
}
