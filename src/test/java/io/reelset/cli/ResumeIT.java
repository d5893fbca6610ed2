package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.Checkpoints;
import io.reelset.kit.StageMetrics;
import io.reelset.testing.InProcessCli;
import io.reelset.testing.Quickstart;
import io.reelset.testing.ReelsetJar;
import io.reelset.values.FrameCoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The quickstart run as a user runs it (the shaded jar, its own JVM), killed with {@code kill -9}
 * during frame extraction, during segmentation and during the dataset write, then resumed: the
 * dataset is the uninterrupted run's, byte for byte, and only the items not recorded as complete at
 * the kill are computed again. Also a live run's status and a clean cancel.
 */
class ResumeIT {
  private static final Path RUNS = Quickstart.RUNS;
  private static final List<String> STAGES = List.of("frames", "characters", "identities", "dataset");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aRunKilledAtAnyPointResumesToTheDatasetOfAnUninterruptedRun() throws Exception {
    Quickstart.Reference reference = Quickstart.reference();
    double referenceSeconds = reference.seconds();
    Path ref = reference.run();
    checkQuickstartDataset(ref.resolve("dataset"));
    Map<String, String> expected = datasetFiles(ref);
    // the work of each stage: frames decoded, frames segmented, crops embedded, images written
    Map<String, Long> items = new LinkedHashMap<>();
    JsonNode refStatus = JSON.readTree(ref.resolve("status.json").toFile());
    for (String stage : STAGES) {
      items.put(stage, work(refStatus, stage));
      assertTrue(items.get(stage) > 0, "stage " + stage + " does work: " + refStatus);
    }

    List<String> report = new ArrayList<>();
    report.add(String.format(Locale.ROOT, "uninterrupted: %.1f s; items per stage %s", referenceSeconds, items));
    report.addAll(killAndResume(List.of(
        new KillPoint("extraction", run -> counter(run, "frames", "frames_decoded") > 0, id -> { }),
        new KillPoint("segmentation", run -> records(run, "characters") >= 6, ResumeIT::checkLive),
        new KillPoint("write", run -> records(run, "dataset") > 0, id -> { })), items, expected));
    Files.write(RUNS.resolve("resume-report.txt"), report);
    editsRedoOnlyTheEditedStage(RUNS.resolve(KILLED), items);
    report.forEach(System.out::println);
  }

  @Test
  void cancelStopsALiveRunCleanly() throws Exception {
    assertTrue(Files.exists(Path.of("media/quickstart/play103.mkv")), "fetch the example media first: scripts/fetch-media.sh");
    String id = "cancelled";
    ReelsetJar.Started started = ReelsetJar.start("run", "examples/dataset.yaml", "--runs-dir", RUNS.toString(),
        "--run-id", id, "--progress-interval", "200ms");
    Path run = RUNS.resolve(id);
    awaitOrFail(started, run, r -> counter(r, "frames", "frames_decoded") > 0, "extraction under way");

    InProcessCli.Result cancel = InProcessCli.reelset("cancel", id, "--runs-dir", RUNS.toString());
    assertEquals(0, cancel.code(), cancel.err());
    assertThat(cancel.out(), containsString("run " + id + ": cancelled"));
    assertTrue(started.process().waitFor(1, TimeUnit.MINUTES));
    assertEquals(1, started.process().exitValue(), "a cancelled run exits 1, as the README says");
    JsonNode cancelled = JSON.readTree(run.resolve("status.json").toFile());
    assertEquals("cancelled", cancelled.get("state").asText());
    assertThat(cancelled.get("error").asText(), containsString("interrupted by a signal"));
    assertThat(InProcessCli.reelset("list", "--runs-dir", RUNS.toString(), "--state", "cancelled").out(),
        containsString(id + " "));
    // RunManagementTest resumes a cancelled run to completion
  }

  /**
   * On a finished run: a pipeline whose dataset stage gains an identities.yaml, then an edit of
   * that file alone, each redo the dataset stage and read everything upstream back.
   */
  private static void editsRedoOnlyTheEditedStage(Path run, Map<String, Long> items) throws Exception {
    Path identities = RUNS.resolve("identities.yaml").toAbsolutePath();
    Files.writeString(identities, "identity_001: {name: first, trigger: fst_chr}\n");
    Path edited = RUNS.resolve("edited.yaml");
    Files.writeString(edited, Files.readString(Path.of("examples/dataset.yaml"))
        .replace("      cluster_report:", "      identities: " + identities + "\n      cluster_report:"));
    String id = run.getFileName().toString();
    for (String name : List.of("first", "second")) {
      Files.writeString(identities, "identity_001: {name: " + name + ", trigger: " + name + "_chr}\n");
      // the first resume takes the edited pipeline; the second only sees identities.yaml changed
      ReelsetJar.Result r = name.equals("first")
          ? ReelsetJar.run("resume", id, "--runs-dir", RUNS.toString(), "--config", edited.toString())
          : ReelsetJar.run("resume", id, "--runs-dir", RUNS.toString());
      assertEquals(0, r.code(), r.err());
      assertThat(r.out(), containsString("run " + id + ": stage dataset changed; its earlier results are discarded"));
      JsonNode status = JSON.readTree(run.resolve("status.json").toFile());
      for (String stage : List.of("frames", "characters", "identities")) {
        assertEquals(0, work(status, stage), name + ": " + stage + " is read back, not computed: " + status);
      }
      assertEquals(items.get("dataset"), work(status, "dataset"), name + ": the dataset is written again");
      try (Stream<Path> files = Files.walk(run.resolve("dataset/img"))) {
        List<String> images = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".png")).toList();
        assertTrue(images.stream().anyMatch(f -> f.startsWith(name + "_")), images.toString());
        assertTrue(images.stream().noneMatch(f -> f.startsWith("identity_001_")), images.toString());
      }
    }
  }

  /** What status and list show of a live run. */
  private static void checkLive(String id) {
    InProcessCli.Result status = InProcessCli.reelset("status", id, "--runs-dir", RUNS.toString());
    assertThat(status.out(), containsString("state:    running"));
    assertThat(status.out(), containsString("ETA:      about ")); // the uninterrupted run has completed
    assertThat(status.out(), containsString("characters  segmentation"));
    assertThat(InProcessCli.reelset("list", "--runs-dir", RUNS.toString(), "--state", "running").out(),
        containsString(id + " "));
  }

  private static final String KILLED = "killed-and-resumed";

  /** Where to kill a run: once {@code when} holds, after checking it with {@code whileLive}. */
  record KillPoint(String name, Predicate<Path> when, java.util.function.Consumer<String> whileLive) {}

  /**
   * Starts the quickstart and kills it (SIGKILL) at the first point, resumes it and kills the
   * resumed run at the next point, and so on; the last resume runs to the end. Every attempt
   * reads back every record made before the kill that ended the one before and computes only the
   * rest: checked on the last attempt for every stage, and on each killed attempt for the stages
   * it completed before it was killed. The dataset is the uninterrupted run's, byte for byte.
   */
  private List<String> killAndResume(List<KillPoint> points, Map<String, Long> items, Map<String, String> expected)
      throws Exception {
    Path run = RUNS.resolve(KILLED);
    List<String> report = new ArrayList<>();
    ReelsetJar.Started started = ReelsetJar.start("run", "examples/dataset.yaml", "--runs-dir", RUNS.toString(),
        "--run-id", KILLED, "--progress-interval", "100ms");
    Map<String, Long> before = null;
    long framesBefore = 0;
    for (KillPoint point : points) {
      long start = System.nanoTime();
      awaitOrFail(started, run, point.when(), point.name());
      point.whileLive().accept(KILLED);
      started.process().destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
      assertTrue(started.process().waitFor(1, TimeUnit.MINUTES));
      Map<String, Long> atKill = new LinkedHashMap<>();
      for (String stage : STAGES) {
        atKill.put(stage, records(run, stage));
      }
      InProcessCli.Result status = InProcessCli.reelset("status", KILLED, "--runs-dir", RUNS.toString());
      assertThat(point.name(), status.out(), containsString("state:    died — its process " + started.process().pid()));
      assertThat(InProcessCli.reelset("list", "--runs-dir", RUNS.toString(), "--state", "died").out(),
          containsString(KILLED + " "));
      if (before != null) {
        // the stages this attempt completed before it was killed: their counters are final
        JsonNode killed = JSON.readTree(run.resolve("status.json").toFile());
        List<String> checked = new ArrayList<>();
        for (String stage : STAGES) {
          if (complete(killed, stage, items)) {
            checkAttempt(killed, stage, before, framesBefore, items, point.name());
            checked.add(stage);
          }
        }
        report.add(String.format(Locale.ROOT, "killed during %s after %.1f s; the stages it completed read back"
            + " every record of the kill before and computed only the rest: %s", point.name(),
            (System.nanoTime() - start) / 1e9, checked));
      } else {
        report.add(String.format(Locale.ROOT, "killed during %s after %.1f s", point.name(),
            (System.nanoTime() - start) / 1e9));
      }
      before = atKill;
      framesBefore = recordedFrames(run);
      started = ReelsetJar.start("resume", KILLED, "--runs-dir", RUNS.toString(), "--progress-interval", "100ms");
    }
    long start = System.nanoTime();
    ReelsetJar.Result resume = started.await(5);
    double resumeSeconds = (System.nanoTime() - start) / 1e9;
    assertEquals(0, resume.code(), resume.err());
    assertEquals(expected, datasetFiles(run), "the resumed dataset is the uninterrupted one");
    JsonNode after = JSON.readTree(run.resolve("status.json").toFile());
    assertEquals("completed", after.get("state").asText());
    assertEquals(points.size() + 1, after.get("attempt").asInt());
    long redone = 0;
    long total = 0;
    Map<String, String> perStage = new LinkedHashMap<>();
    for (String stage : STAGES) {
      checkAttempt(after, stage, before, framesBefore, items, "the last resume");
      redone += work(after, stage);
      total += items.get(stage);
      perStage.put(stage, work(after, stage) + "/" + items.get(stage));
    }
    report.add(String.format(Locale.ROOT, "the last resume took %.1f s and recomputed %d of %d items (%.0f%%): %s",
        resumeSeconds, redone, total, 100.0 * redone / total, perStage));
    return report;
  }

  /** Whether an attempt's status shows {@code stage} done with all of its work. */
  private static boolean complete(JsonNode status, String stage, Map<String, Long> items) {
    JsonNode c = status.at("/stages/" + stage + "/counters");
    long done = c.path(StageMetrics.PROGRESS_DONE).asLong();
    return stage.equals("frames") ? done > 0 && done >= c.path(StageMetrics.PROGRESS_TOTAL).asLong()
        : c.path(StageMetrics.RESUMED).asLong() + work(status, stage) >= items.get(stage);
  }

  /** An attempt read back every record made before the kill that ended the one before, and computed only the rest. */
  private static void checkAttempt(JsonNode status, String stage, Map<String, Long> atKill, long framesAtKill,
      Map<String, Long> items, String attempt) {
    long resumed = status.at("/stages/" + stage + "/counters/" + StageMetrics.RESUMED).asLong();
    assertEquals(atKill.get(stage), resumed, attempt + ": " + stage + " reads back every record made before the kill");
    long complete = stage.equals("frames") ? framesAtKill : atKill.get(stage);
    assertEquals(items.get(stage) - complete, work(status, stage), attempt + ": " + stage + " computes only the rest");
  }

  /** Waits, polling the run directory, until {@code when} holds; fails if the run ends first. */
  private static void awaitOrFail(ReelsetJar.Started started, Path run, Predicate<Path> when, String point)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!when.test(run)) {
      if (!started.process().isAlive()) {
        fail("the run ended before the kill point '" + point + "': " + Files.readString(started.err()));
      }
      if (System.nanoTime() > deadline) {
        started.process().destroyForcibly();
        fail("the kill point '" + point + "' was not reached in 5 minutes");
      }
      started.process().waitFor(20, TimeUnit.MILLISECONDS); // the run's own end, or 20 ms
    }
  }

  /** A stage's work in a run: frames decoded by extraction, items computed and recorded by the others. */
  private static long work(JsonNode status, String stage) {
    String counter = stage.equals("frames") ? "frames_sampled" : StageMetrics.RECORDED;
    return status.at("/stages/" + stage + "/counters/" + counter).asLong();
  }

  /** The frames in the extraction's records: pieces of each video's timeline. */
  private static long recordedFrames(Path run) throws IOException {
    Path root = run.resolve("checkpoints/frames");
    if (!Files.isDirectory(root)) {
      return 0;
    }
    long frames = 0;
    try (Stream<Path> videos = Files.list(root).flatMap(ResumeIT::list)) {
      for (Path video : videos.toList()) {
        Checkpoints pieces = Checkpoints.in(video.toString());
        for (String key : pieces.keys()) {
          frames += pieces.read(key, FrameCoder.of()).size();
        }
      }
    }
    return frames;
  }

  private static Stream<Path> list(Path dir) {
    try {
      return Files.list(dir).filter(Files::isDirectory);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static long counter(Path run, String stage, String name) {
    try {
      return JSON.readTree(run.resolve("status.json").toFile()).at("/stages/" + stage + "/counters/" + name).asLong();
    } catch (IOException e) {
      return 0; // not written yet
    }
  }

  private static long records(Path run, String stage) {
    return Checkpoints.count(run.resolve("checkpoints").resolve(stage));
  }

  /** Every dataset file and the SHA-256 of its bytes, with the run directory's path written as {@code <run>}. */
  private static Map<String, String> datasetFiles(Path run) throws Exception {
    Path root = run.resolve("dataset");
    Map<String, String> files = new TreeMap<>();
    String runPath = run.toAbsolutePath().normalize().toString();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        String name = root.relativize(p).toString();
        if (name.endsWith(".toml") || name.endsWith(".html") || name.endsWith(".json") || name.endsWith(".jsonl")) {
          bytes = new String(bytes, StandardCharsets.UTF_8).replace(runPath, "<run>").getBytes(StandardCharsets.UTF_8);
        }
        files.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
      }
    }
    return files;
  }

  /** What the README promises of the quickstart's dataset. */
  private static void checkQuickstartDataset(Path dataset) throws Exception {
    JsonNode stats = JSON.readTree(dataset.resolve("stats.json").toFile());
    assertTrue(stats.get("train").asInt() > 0, stats.toString());
    String toml = Files.readString(dataset.resolve("dataset_config.toml"));
    assertTrue(toml.contains("[[datasets.subsets]]") && toml.contains("num_repeats = "), toml);
    List<String> images = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dataset.resolve("img"))) {
      files.filter(f -> f.toString().endsWith(".png")).forEach(f -> images.add(dataset.relativize(f).toString()));
    }
    assertEquals(stats.get("train").asInt(), images.size(), images.toString());
    for (String image : images) {
      String caption = Files.readString(dataset.resolve(image.replace(".png", ".txt")));
      // no tagger on the build machines: the caption is the trigger alone
      assertEquals(image.substring(image.lastIndexOf('/') + 1, image.lastIndexOf('_')) + "\n", caption);
    }
    assertEquals(0, stats.get("check").size(), "the dataset passes check-dataset: " + stats.get("check"));
    String report = Files.readString(dataset.resolve("report.html"));
    assertTrue(report.contains("data:image/jpeg;base64,") && report.contains("<h2>Clusters</h2>"),
        "the report has contact sheets and the cluster report");
  }
}
