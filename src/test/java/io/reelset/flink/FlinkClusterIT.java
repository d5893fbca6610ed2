package io.reelset.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * DirectRunner, and the same again when the TaskManager is killed mid-job and a new one started.
 */
class FlinkClusterIT {
  private static final Path RUNS = Path.of("target/it-runs").toAbsolutePath();
  private static final Path CLUSTER = Path.of("target/it-flink-cluster").toAbsolutePath();
  private static final String SCRIPT = "runners/flink/cluster.sh";
  private static int restPort;
  private static TreeMap<String, String> direct;

  @BeforeAll
  static void startCluster() throws Exception {
    assertTrue(Files.exists(Path.of("media/cockatoo.mp4")), "fetch the example media first: scripts/fetch-media.sh");
    restPort = freePorts();
    String out = script("start", CLUSTER.toString(), Integer.toString(restPort), "2");
    assertTrue(out.contains("localhost:" + restPort), out);
    ReelsetJar.Result r = ReelsetJar.start("run", "examples/dataset.yaml", "--runs-dir", RUNS.toString(),
        "--run-id", "flink-it-direct").await(10);
    assertEquals(0, r.code(), r.err());
    direct = dataset("flink-it-direct");
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
    Path root = RUNS.resolve(runId).resolve("dataset");
    TreeMap<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        String name = root.relativize(p).toString();
        if (!name.equals("dataset_config.toml") && !name.equals("report.html")) {
          files.put(name, java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
        }
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

  @Test
  void theQuickstartOnTheClusterMakesTheSameDataset() throws Exception {
    ReelsetJar.Result r = onCluster("flink-it-cluster").await(10);
    assertEquals(0, r.code(), r.err());
    TreeMap<String, String> onFlink = dataset("flink-it-cluster");
    assertTrue(onFlink.keySet().stream().anyMatch(f -> f.endsWith(".png")), onFlink.toString());
    assertEquals(direct, onFlink, "the same files with the same bytes as on the DirectRunner");
  }

  @Test
  void aKilledTaskManagerCostsARestartNotTheDataset() throws Exception {
    ReelsetJar.Started run = onCluster("flink-it-kill");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!rest("/jobs/overview").contains("\"state\":\"RUNNING\"")) {
      assertTrue(System.nanoTime() < deadline, "the job never ran");
      assertTrue(run.process().isAlive(), "reelset ended before the job ran: " + Files.readString(run.err()));
      Thread.sleep(500);
    }
    // mid-job: the frames are out and segmentation (about 60 s here) is under way
    Thread.sleep(20_000);
    assertTrue(run.process().isAlive(), "the job ended before the TaskManager could be killed");
    script("kill-taskmanager", CLUSTER.toString());
    script("add-taskmanager", CLUSTER.toString());
    ReelsetJar.Result r = run.await(10);
    assertEquals(0, r.code(), r.err());
    assertTrue(rest("/jobs/overview").matches("(?s).*\"name\":\"flink-it-kill\".*\"state\":\"FINISHED\".*"),
        rest("/jobs/overview"));
    String log = Files.readString(CLUSTER.resolve("log/jobmanager.log"));
    assertTrue(log.contains("flink-it-kill") && log.matches("(?s).*Job flink-it-kill \\(\\w+\\) switched from state"
        + " RUNNING to RESTARTING.*"), "the job was restarted after the kill");
    assertEquals(direct, dataset("flink-it-kill"), "no image lost, none duplicated, every byte the same");
  }
}
