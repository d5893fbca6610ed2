package io.reelset.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.Checkpoints;
import io.reelset.kit.StageMetrics;
import io.reelset.testing.InProcessCli;
import io.reelset.testing.Quickstart;
import io.reelset.testing.ReelsetJar;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The quickstart on a real local Flink 1.19 cluster (a JobManager and a TaskManager, separate
 * JVMs, started by runners/flink/cluster.sh on free ports): the same dataset as on the
 * DirectRunner when the TaskManager is killed mid-job and a new one started; frame extraction's
 * frames the same too, each frame decoded once; a cancel through the REST API.
 */
class FlinkClusterIT {
  private static final Path RUNS = Quickstart.RUNS;
  private static final Path CLUSTER = Path.of("target/it-flink-cluster").toAbsolutePath();
  private static final String SCRIPT = "runners/flink/cluster.sh";
  /** Frames segmentation records before the TaskManager is killed (the quickstart has 23). */
  private static final int SEGMENTED_BEFORE_THE_KILL = 8;
  /** Run ids unique to this test run, so that a second `mvn verify` without `clean` finds none taken. */
  private static final String RUN = "-" + System.nanoTime();
  private static int restPort;
  private static TreeMap<String, String> direct;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.exists(Path.of("media/quickstart/play103.mkv")), "fetch the example media first: scripts/fetch-media.sh");
    restPort = freePorts();
    String out = script("start", CLUSTER.toString(), Integer.toString(restPort), "2");
    assertTrue(out.contains("localhost:" + restPort), out);
    direct = dataset(Quickstart.reference().run().getFileName().toString());
  }

  @AfterAll
  static void stopCluster() throws Exception {
    script("stop", CLUSTER.toString());
  }

  /** A REST port whose two successors (RPC, blob server) are free too. */
  private static int freePorts() throws IOException {
    Random random = new Random();
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = 20_000 + random.nextInt(20_000);
      try (ServerSocket a = new ServerSocket(base); ServerSocket b = new ServerSocket(base + 1);
          ServerSocket c = new ServerSocket(base + 2)) {
        return base;
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no three free consecutive ports found");
  }

  private static String script(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(SCRIPT));
    command.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "cluster.sh " + args[0] + " hangs");
    assertEquals(0, p.exitValue(), "cluster.sh " + String.join(" ", args) + ": " + out);
    return out;
  }

  /** The dataset's files and their bytes (hex SHA-256), except those that name the run directory. */
  static TreeMap<String, String> dataset(String runId) throws Exception {
    TreeMap<String, String> files = files(RUNS.resolve(runId).resolve("dataset"));
    files.remove("dataset_config.toml");
    files.remove("report.html");
    return files;
  }

  /** The files under {@code root} and their bytes (hex SHA-256). */
  private static TreeMap<String, String> files(Path root) throws Exception {
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return files;
  }

  private static ReelsetJar.Started onCluster(String runId) throws IOException {
    return ReelsetJar.start("run", "examples/dataset.yaml", "--runs-dir", RUNS.toString(), "--run-id", runId,
        "--runner=FlinkRunner", "--flinkMaster=localhost:" + restPort, "--parallelism=2");
  }

  private static String rest(String path) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://localhost:" + restPort + path).toURL()
        .openConnection();
    try {
      return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  /** Whether the job's segmentation vertex is running, from the REST API. */
  private static boolean segmenting(String jobName) throws IOException {
    ObjectMapper json = new ObjectMapper();
    for (JsonNode job : json.readTree(rest("/jobs/overview")).path("jobs")) {
      if (job.path("name").asText().equals(jobName) && job.path("state").asText().equals("RUNNING")) {
        for (JsonNode vertex : json.readTree(rest("/jobs/" + job.path("jid").asText())).path("vertices")) {
          if (vertex.path("name").asText().contains("characters/Segment")
              && vertex.path("status").asText().equals("RUNNING")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * Frame extraction on the cluster, over the quickstart's videos: the frames the DirectRunner
   * writes, byte for byte, and every frame of the videos decoded once (within 5 %) however Flink
   * splits the work. (The quickstart's whole dataset on the cluster is the kill test's.)
   */
  @Test
  void onTheClusterEveryFrameIsDecodedOnceIntoTheDirectRunnersFrames() throws Exception {
    String runId = "flink-it-frames" + RUN;
    ReelsetJar.Result direct = ReelsetJar.start("run", "examples/frames.yaml", "--param", "videos=media/quickstart",
        "--runs-dir", RUNS.toString(), "--run-id", "direct-frames" + RUN).await(5);
    assertEquals(0, direct.code(), direct.err());
    ReelsetJar.Result r = ReelsetJar.start("run", "examples/frames.yaml", "--param", "videos=media/quickstart",
        "--runs-dir", RUNS.toString(), "--run-id", runId, "--runner=FlinkRunner", "--flinkMaster=localhost:" + restPort,
        "--parallelism=2").await(5);
    assertEquals(0, r.code(), r.err());
    TreeMap<String, String> onFlink = files(RUNS.resolve(runId).resolve("frames"));
    assertTrue(onFlink.size() >= 10, onFlink.toString()); // 20 of the videos' 31 seconds are not near-duplicates
    assertEquals(files(RUNS.resolve("direct-frames" + RUN).resolve("frames")), onFlink,
        "the same frames with the same bytes as on the DirectRunner");
    long frames = 0;
    try (Stream<Path> videos = Files.list(Path.of("media/quickstart"))) {
      for (Path video : videos.sorted().toList()) {
        try (io.reelset.media.FFmpegVideo v = io.reelset.media.FFmpegVideo.open(video.toString(), 1)) {
          frames += v.probe(true).info().frameCount();
        }
      }
    }
    JsonNode counters = new ObjectMapper().readTree(RUNS.resolve(runId).resolve("status.json").toFile())
        .path("stages").path("frames").path("counters");
    long decoded = counters.path("frames_decoded").asLong();
    assertTrue(decoded > 0 && decoded <= frames * 1.05, "frames_decoded " + decoded + " of " + frames + " frames: "
        + counters);
  }

  @Test
  void cancelStopsTheFlinkJobThroughTheRestApi() throws Exception {
    String runId = "flink-it-cancel" + RUN;
    ReelsetJar.Started run = onCluster(runId);
    awaitSegmenting(runId, run);
    InProcessCli.Result cancel = InProcessCli.reelset("cancel", runId, "--runs-dir", RUNS.toString());
    assertEquals(0, cancel.code(), cancel.err());
    assertTrue(cancel.out().contains("asked Flink at localhost:" + restPort + " to cancel job "), cancel.out());
    assertTrue(run.process().waitFor(2, TimeUnit.MINUTES), "reelset stops");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (!jobState(runId).equals("CANCELED")) {
      assertTrue(System.nanoTime() < deadline, "the job is " + jobState(runId) + ", not CANCELED");
      TimeUnit.MILLISECONDS.sleep(200); // polling the REST API for a state, not waiting for time to pass
    }
    JsonNode status = new ObjectMapper().readTree(RUNS.resolve(runId).resolve("status.json").toFile());
    assertEquals("cancelled", status.get("state").asText());
  }

  private static void awaitSegmenting(String runId, ReelsetJar.Started run) throws Exception {
    await(run, "segmentation to start", () -> segmenting(runId)); // the REST API's vertex states
  }

  /** A condition on the run, checked until it holds (4 minutes at most) while reelset is alive. */
  private interface Condition {
    boolean holds() throws Exception;
  }

  /** Waits, polling every 200 ms, for {@code condition}; fails if reelset ends first or it takes 4 minutes. */
  private static void await(ReelsetJar.Started run, String what, Condition condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!condition.holds()) {
      assertTrue(System.nanoTime() < deadline, "waited 4 minutes for " + what);
      assertTrue(run.process().isAlive(), "reelset ended before " + what + ": " + Files.readString(run.err()));
      TimeUnit.MILLISECONDS.sleep(200); // polling for a state, not waiting for time to pass
    }
  }

  /** The state of the newest job of that name, from the REST API. */
  private static String jobState(String jobName) throws IOException {
    String state = "none";
    long newest = -1;
    for (JsonNode job : new ObjectMapper().readTree(rest("/jobs/overview")).path("jobs")) {
      if (job.path("name").asText().equals(jobName) && job.path("start-time").asLong() > newest) {
        newest = job.path("start-time").asLong();
        state = job.path("state").asText();
      }
    }
    return state;
  }

  @Test
  void aKilledTaskManagerCostsARestartNotTheDataset() throws Exception {
    String runId = "flink-it-kill" + RUN;
    ReelsetJar.Started run = onCluster(runId);
    // kill in the middle of the job: once segmentation (the longest stage) has recorded a third of its frames
    awaitSegmenting(runId, run);
    Path records = RUNS.resolve(runId).resolve("checkpoints/characters");
    await(run, SEGMENTED_BEFORE_THE_KILL + " frames segmented",
        () -> Checkpoints.count(records) >= SEGMENTED_BEFORE_THE_KILL);
    // reelset status reads the job's state from the REST API
    InProcessCli.Result status = InProcessCli.reelset("status", runId, "--runs-dir", RUNS.toString());
    assertTrue(status.out().matches("(?s).*\n  flink:    job [0-9a-f]{32} RUNNING \\(tasks: .*\\) on localhost:"
        + restPort + "\n.*"), status.out());
    script("kill-taskmanager", CLUSTER.toString());
    long recordedAtKill = Checkpoints.count(records);
    script("add-taskmanager", CLUSTER.toString());
    ReelsetJar.Result r = run.await(10);
    assertEquals(0, r.code(), r.err());
    // the attempt that finished read back what the killed one recorded, and segmented only the rest
    ObjectMapper json = new ObjectMapper();
    JsonNode segmented = json.readTree(RUNS.resolve(runId).resolve("status.json").toFile())
        .at("/stages/characters/counters");
    long frames = json.readTree(Quickstart.reference().run().resolve("status.json").toFile())
        .at("/stages/characters/counters/" + StageMetrics.RECORDED).asLong();
    assertTrue(segmented.path(StageMetrics.RESUMED).asLong() >= recordedAtKill, recordedAtKill
        + " frames were recorded at the kill: " + segmented);
    assertEquals(frames, segmented.path(StageMetrics.RESUMED).asLong() + segmented.path(StageMetrics.RECORDED).asLong(),
        "every frame segmented once in the attempt that finished or read back: " + segmented);
    String log = Files.readString(CLUSTER.resolve("log/jobmanager.log"));
    assertTrue(log.contains("Job " + runId + " (") && log.matches("(?s).*Job " + runId + " \\(\\w+\\) switched from"
        + " state RUNNING to RESTARTING.*"), "the job was restarted after the kill");
    assertTrue(log.matches("(?s).*Job " + runId + " \\(\\w+\\) switched from state RUNNING to FINISHED.*"),
        "the job finished");
    assertEquals(direct, dataset(runId), "no image lost, none duplicated, every byte the same");
  }
}
