package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.testing.ReelsetJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
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
      ReelsetJar.Result version = launch(Map.of("REELSET_CDS", cds), "--version");
      String out = version.out() + version.err();
      assertEquals(0, version.code(), "REELSET_CDS=" + cds + ": " + out);
      assertThat(out, containsString("reelset"));
      assertThat(out, not(containsString("unbound")));
    }
  }

  private static ReelsetJar.Result launch(Map<String, String> env, String... args) throws Exception {
    return ReelsetJar.start(env, args).await(3);
  }

  /** A JVM the launcher cannot use is named in one line, exit 2, before anything starts. */
  @Test
  void theLauncherRefusesAMissingOrOldJava() throws Exception {
    ReelsetJar.Result missing = launch(Map.of("REELSET_JAVA", "/no/such/java"), "--version");
    assertEquals(2, missing.code());
    assertEquals("reelset: no Java found ('/no/such/java'); install Java 17 or newer, or set REELSET_JAVA to a"
        + " java binary\n", missing.err());

    Path jdk = Files.createTempDirectory("old-jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path javaBin = Files.writeString(jdk.resolve("bin/java"), "#!/bin/sh\necho started\n");
    javaBin.toFile().setExecutable(true);
    for (String version : List.of("11.0.2", "1.8.0_392")) {
      Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
      ReelsetJar.Result old = launch(Map.of("REELSET_JAVA", javaBin.toString()), "--version");
      assertEquals(2, old.code(), version);
      assertEquals("reelset: needs Java 17 or newer; " + javaBin.toRealPath() + " is Java "
          + (version.startsWith("1.") ? "8" : "11") + " (set REELSET_JAVA to another java binary)\n", old.err());
      assertEquals("", old.out());
    }
  }

  /**
   * On each Java 23 or newer installed beside the test JVM ({@code /usr/lib/jvm}), a run through the
   * launcher prints none of the JVM's warnings about native access and {@code sun.misc.Unsafe}, and
   * its first run (recording the AOT cache of Java 25 and newer) and its second (mapping it) print
   * only reelset's lines on stdout.
   */
  @Test
  void theLauncherRunsQuietlyOnNewerJava() throws Exception {
    List<Path> newer = new ArrayList<>();
    Path jvms = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvms)) {
      try (Stream<Path> homes = Files.list(jvms)) {
        for (Path home : homes.sorted().toList()) {
          Path release = home.resolve("release");
          Path javaBin = home.resolve("bin/java");
          if (!Files.isSymbolicLink(home) && Files.isRegularFile(release) && Files.isExecutable(javaBin)) {
            var version = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            if (version.find() && Integer.parseInt(version.group(1)) >= 23) {
              newer.add(javaBin);
            }
          }
        }
      }
    }
    assumeFalse(newer.isEmpty(), "no Java 23 or newer in /usr/lib/jvm");
    for (Path javaBin : newer) {
      for (int i = 0; i < 2; i++) {
        String runId = "launcher-" + System.nanoTime();
        ReelsetJar.Result run = launch(Map.of("REELSET_JAVA", javaBin.toString()), "run", "examples/inventory.yaml",
            "--runs-dir", RUNS.toString(), "--run-id", runId);
        assertEquals(0, run.code(), javaBin + ": " + run.err());
        assertThat(javaBin + " run " + i, run.err(), not(containsString("WARNING")));
        for (String line : run.out().split("\n")) {
          assertTrue(line.startsWith("run " + runId + ": "), javaBin + " run " + i + " printed on stdout: " + line);
        }
      }
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
