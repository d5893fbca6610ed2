package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelset.testing.InProcessCli;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-management commands on real run directories made by in-process runs of the test
 * stages: list, status, stats, a run whose process died, cancel, resume, create and run
 * --pipeline-id, retries in the status, and preflight. Live runs, kill -9 and cancelling a live
 * process are in {@code ResumeIT}, which runs reelset as separate processes.
 */
class RunManagementTest {
  private static final String VALID = "src/test/resources/specs/valid/";
  private static final String RUN = "src/test/resources/specs/run/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path runs;

  private InProcessCli.Result reelset(String... args) {
    return InProcessCli.reelset(args);
  }

  private String dir() {
    return runs.toString();
  }

  @Test
  void listStatusAndStatsShowFinishedAndFailedRuns() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "ok").code());
    assertEquals(1, reelset("run", RUN + "ratio.yaml", "--runs-dir", dir(), "--run-id", "bad").code());

    InProcessCli.Result list = reelset("list", "--runs-dir", dir());
    assertEquals(0, list.code(), list.err());
    assertThat(list.out(), matchesPattern("(?s)RUN +PIPELINE +STATE +ATTEMPT.*\nok +diamond +completed +1 .*"
        + "\nbad +ratio +failed +1 .*"));
    InProcessCli.Result failed = reelset("list", "--runs-dir", dir(), "--state", "failed");
    assertThat(failed.out(), containsString("bad "));
    assertThat(failed.out(), not(containsString("ok ")));
    assertEquals("no cancelled runs in " + dir() + "\n", reelset("list", "--runs-dir", dir(), "--state", "cancelled").out());
    InProcessCli.Result wrong = reelset("list", "--runs-dir", dir(), "--state", "finished");
    assertEquals(2, wrong.code());
    assertEquals("reelset list: --state finished is not a state; use one of running, completed, failed, cancelled,"
        + " died\n", wrong.err());

    InProcessCli.Result status = reelset("status", "bad", "--runs-dir", dir());
    assertEquals(0, status.code(), status.err());
    assertThat(status.out(), containsString("run bad (pipeline ratio, attempt 1)"));
    assertThat(status.out(), containsString("state:    failed"));
    assertThat(status.out(), containsString("error:    stage 'map' failed 2 of 4 items (50.0%)"));
    assertThat(status.out(), matchesPattern("(?s).*\n    map +test_map +2 out, 2 failed\n.*"));
    assertThat(status.out(), containsString("failures: map 2, in "));
    JsonNode json = JSON.readTree(reelset("status", "ok", "--runs-dir", dir(), "--json").out());
    assertEquals("completed", json.get("shown_state").asText());
    assertEquals(3, json.at("/stages/d/counters/output").asLong());
    InProcessCli.Result missing = reelset("status", "nope", "--runs-dir", dir());
    assertEquals(2, missing.code());
    assertThat(missing.err(), containsString("reelset status: no run 'nope' in "));

    InProcessCli.Result stats = reelset("stats", "--runs-dir", dir());
    assertEquals(0, stats.code(), stats.err());
    assertThat(stats.out(), containsString("2 runs: 1 completed, 1 failed"));
    assertThat(stats.out(), containsString("  diamond: 1 runs, median "));
    assertThat(stats.out(), matchesPattern("(?s).*\nratio/map +test_map +1 +2 +2 +50\\.0% .*"));
    JsonNode statsJson = JSON.readTree(reelset("stats", "--runs-dir", dir(), "--json").out());
    assertEquals(0.5, statsJson.at("/stages/ratio~1map/failure_rate").asDouble(), 1e-9);
    assertEquals(1, statsJson.at("/states/completed").asInt());
  }

  @Test
  void aRunWhoseProcessDiedShowsAsDiedAndCanBeCancelledOrResumed() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "gone").code());
    JsonNode first = JSON.readTree(runs.resolve("gone/status.json").toFile());
    markRunningBy(runs.resolve("gone"), deadPid());

    InProcessCli.Result status = reelset("status", "gone", "--runs-dir", dir());
    assertThat(status.out(), containsString("state:    died — its process "));
    assertThat(status.out(), containsString("reelset resume gone finishes it"));
    assertThat(reelset("list", "--runs-dir", dir(), "--state", "died").out(), containsString("gone "));
    assertThat(reelset("list", "--runs-dir", dir(), "--state", "running").out(), not(containsString("gone ")));

    InProcessCli.Result cancel = reelset("cancel", "gone", "--runs-dir", dir());
    assertEquals(0, cancel.code(), cancel.err());
    assertThat(cancel.out(), containsString("its process had died; marked cancelled"));
    assertEquals("cancelled", JSON.readTree(runs.resolve("gone/status.json").toFile()).get("state").asText());
    InProcessCli.Result again = reelset("cancel", "gone", "--runs-dir", dir());
    assertEquals(2, again.code());
    assertEquals("reelset cancel: run gone is not running: it is cancelled\n", again.err());

    InProcessCli.Result resume = reelset("resume", "gone", "--runs-dir", dir());
    assertEquals(0, resume.code(), resume.err());
    assertThat(resume.out(), containsString("attempt 2"));
    JsonNode after = JSON.readTree(runs.resolve("gone/status.json").toFile());
    assertEquals("completed", after.get("state").asText());
    assertEquals(2, after.get("attempt").asInt());
    assertEquals(3, after.at("/stages/d/counters/output").asLong());
    // the run's start and time over both attempts are kept
    assertEquals(first.get("startedAt").asText(), after.get("firstStartedAt").asText());
    assertEquals(first.get("elapsedSeconds").asDouble(), after.get("earlierSeconds").asDouble(), 1e-9);
    assertThat(reelset("status", "gone", "--runs-dir", dir()).out(),
        containsString("  earlier:  attempts since " + first.get("startedAt").asText() + " ran "));
  }

  @Test
  void statusSaysWhenTheEtaIsALowerBound() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "live").code());
    markRunningBy(runs.resolve("live"), ProcessHandle.current().pid());
    for (boolean lowerBound : List.of(true, false)) {
      ObjectNode status = (ObjectNode) JSON.readTree(runs.resolve("live/status.json").toFile());
      status.put("updatedAt", java.time.Instant.now().toString());
      status.put("etaSeconds", 3600.0);
      if (lowerBound) {
        status.put("etaLowerBound", true);
      } else {
        status.remove("etaLowerBound");
      }
      Files.writeString(runs.resolve("live/status.json"), JSON.writeValueAsString(status));
      String out = reelset("status", "live", "--runs-dir", dir()).out();
      assertThat(out, containsString(lowerBound
          ? "ETA:      at least 59 min 5" : "ETA:      about 59 min 5"));
      assertThat(out, lowerBound ? containsString("later stages have not started")
          : not(containsString("later stages")));
    }
  }

  @Test
  void resumeRefusesALiveRunAndAnUnknownOne() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "live").code());
    markRunningBy(runs.resolve("live"), ProcessHandle.current().pid()); // this JVM is alive
    InProcessCli.Result resume = reelset("resume", "live", "--runs-dir", dir());
    assertEquals(2, resume.code());
    assertThat(resume.err(), containsString("run live is still running (process " + ProcessHandle.current().pid()));
    assertThat(reelset("status", "live", "--runs-dir", dir()).out(), containsString("state:    running"));
    InProcessCli.Result unknown = reelset("resume", "nope", "--runs-dir", dir());
    assertEquals(2, unknown.code());
    assertThat(unknown.err(), containsString("reelset resume: no run 'nope' in "));
  }

  @Test
  void aRunDirectoryHeldByAnotherProcessIsNotRunTwice() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "held").code());
    Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        System.getProperty("java.class.path"), "io.reelset.testing.HoldLock", runs.resolve("held/.lock").toString())
        .redirectErrorStream(true).start();
    try {
      assertEquals("locked", new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()))
          .readLine());
      InProcessCli.Result resume = reelset("resume", "held", "--runs-dir", dir());
      assertEquals(2, resume.code());
      assertThat(resume.err(), containsString("run held is being run by another process (it holds "));
    } finally {
      holder.getOutputStream().close();
      assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
    }
    assertEquals(0, reelset("resume", "held", "--runs-dir", dir()).code(), "free again once the holder ended");
  }

  @Test
  void cleanDeletesTheRecordsOfAFinishedRunAndKeepsTheRest() throws Exception {
    assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "done").code());
    io.reelset.kit.Checkpoints.in(runs.resolve("done/checkpoints/a/0123456789abcdef").toString())
        .write("x", java.util.List.of("y"), org.apache.beam.sdk.coders.StringUtf8Coder.of());
    InProcessCli.Result clean = reelset("clean", "done", "--runs-dir", dir());
    assertEquals(0, clean.code(), clean.err());
    assertThat(clean.out(), matchesPattern("run done: deleted 1 completion records \\(\\d+ B\\); .*\n"));
    assertFalse(Files.exists(runs.resolve("done/checkpoints")));
    assertTrue(Files.exists(runs.resolve("done/status.json")));

    markRunningBy(runs.resolve("done"), ProcessHandle.current().pid());
    InProcessCli.Result live = reelset("clean", "done", "--runs-dir", dir());
    assertEquals(2, live.code());
    assertThat(live.err(), containsString("reelset clean: run done may be running (running); its records are in use"));
  }

  @Test
  void anUnreadableStatusIsAClearError() throws Exception {
    Files.createDirectories(runs.resolve("broken"));
    Files.writeString(runs.resolve("broken/status.json"), "{ not json");
    InProcessCli.Result status = reelset("status", "broken", "--runs-dir", dir());
    assertEquals(2, status.code());
    assertThat(status.err(), containsString("reelset status: cannot read the status of run 'broken': "));
    assertThat(status.err(), not(containsString("internal error")));
    assertThat(status.err(), not(containsString("REDACTED")));
    assertEquals("no runs in " + dir() + "\n", reelset("list", "--runs-dir", dir()).out());
  }

  /** The loser of two runs that chose the same run id in the same moment is told so. */
  @Test
  void theLoserOfARaceForOneRunIdIsToldSo() throws Exception {
    io.reelset.run.RunDirectory.create(runs.resolve("same"), java.time.Clock.systemUTC());
    java.io.IOException lost = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
        () -> io.reelset.run.RunDirectory.create(runs.resolve("same"), java.time.Clock.systemUTC()));
    assertEquals("it was created a moment ago by another reelset run with the same run id; run again with another"
        + " --run-id (or none: a new one is chosen)", lost.getMessage());
  }

  /** A status.json that holds null, or a JSON object without a run in it, is said, by every command. */
  @Test
  void aStatusHoldingNullIsAClearErrorForEveryCommand() throws Exception {
    for (String content : List.of("null", "{}", "[]")) {
      Files.createDirectories(runs.resolve("nulled"));
      Files.writeString(runs.resolve("nulled/status.json"), content);
      for (String command : List.of("status", "resume", "clean", "cancel")) {
        InProcessCli.Result r = reelset(command, "nulled", "--runs-dir", dir());
        assertEquals(2, r.code(), command + " on " + content + ": " + r.err());
        assertThat(r.err(), containsString("reelset " + command + ": cannot read the status of run 'nulled': "));
        assertThat(r.err(), containsString("status.json is damaged"));
        assertThat(r.err(), not(containsString("internal error")));
      }
      for (String command : List.of("list", "stats")) {
        InProcessCli.Result r = reelset(command, "--runs-dir", dir());
        assertEquals(0, r.code(), command);
        assertThat(command + " says what it left out", r.err(),
            containsString("reelset " + command + ": nulled: left out: "));
      }
    }
  }

  @Test
  void createRegistersAPipelineAndRunStartsItById() throws Exception {
    InProcessCli.Result create = reelset("create", "--config", VALID + "diamond.yaml", "--runs-dir", dir());
    assertEquals(0, create.code(), create.err());
    String id = create.out().trim();
    assertThat(id, matchesPattern("diamond-[0-9a-f]{8}"));
    assertThat(create.err(), containsString("run it with: reelset run --pipeline-id " + id));
    assertEquals(id, reelset("create", "--config", VALID + "diamond.yaml", "--runs-dir", dir()).out().trim());

    InProcessCli.Result run = reelset("run", "--pipeline-id", id, "--runs-dir", dir(), "--run-id", "byid");
    assertEquals(0, run.code(), run.err());
    assertEquals("completed", JSON.readTree(runs.resolve("byid/status.json").toFile()).get("state").asText());
    assertThat(reelset("list", "--runs-dir", dir()).out(), not(containsString(".pipelines")));

    InProcessCli.Result unknown = reelset("run", "--pipeline-id", "nope-12345678", "--runs-dir", dir());
    assertEquals(2, unknown.code());
    assertThat(unknown.err(), containsString("no pipeline 'nope-12345678' is registered in "));
    InProcessCli.Result both = reelset("run", VALID + "diamond.yaml", "--pipeline-id", id, "--runs-dir", dir());
    assertEquals(2, both.code());
    assertEquals("reelset run: give a pipeline FILE or --pipeline-id ID (from reelset create), not both\n", both.err());
    InProcessCli.Result invalid = reelset("create", "--config", "src/test/resources/specs/invalid/wrong_types.yaml",
        "--runs-dir", dir());
    assertEquals(2, invalid.code());
    assertThat(invalid.err(), containsString("8 problems found"));
  }

  @Test
  void transientErrorsAreRetriedPerItemAndCountedInTheStatus() throws Exception {
    InProcessCli.Result r = reelset("run", RUN + "retry.yaml", "--runs-dir", dir(), "--run-id", "r");
    assertEquals(0, r.code(), r.err());
    JsonNode status = JSON.readTree(runs.resolve("r/status.json").toFile());
    // three attempts: every item's two transient failures are retried, and it succeeds
    assertEquals(4, status.at("/stages/enough/counters/output").asLong());
    assertEquals(8, status.at("/stages/enough/counters/retries").asLong());
    // two attempts are not enough: one retry each, then the item fails
    assertEquals(4, status.at("/stages/too_few/counters/failures").asLong());
    assertEquals(4, status.at("/stages/too_few/counters/retries").asLong());
    String shown = reelset("status", "r", "--runs-dir", dir()).out();
    assertThat(shown, matchesPattern("(?s).*\n    enough +test_map +4 out, 0 failed, 8 retries\n.*"));
    assertThat(Files.readString(runs.resolve("r/failures/too_few.jsonl")), containsString("transient failure of a"));
  }

  @Test
  void preflightReportsEveryProblemAndRunsNothing() throws Exception {
    Path bad = runs.resolve("bad.yaml");
    Files.createDirectories(runs.resolve("videos"));
    Files.writeString(runs.resolve("videos/x.mkv"), "not probed before the run");
    Files.writeString(bad, """
        name: preflight
        stages:
          - id: frames
            type: frame_extraction
            config: {input: %s/no-such-videos}
          - id: out
            type: frame_extraction
            config: {input: %s/videos, output_dir: %s/a-file/out}
        """.formatted(runs, runs, runs));
    Files.writeString(runs.resolve("a-file"), "not a directory");
    InProcessCli.Result r = reelset("run", bad.toString(), "--runs-dir", runs.resolve("r").toString());
    assertEquals(2, r.code(), r.out() + r.err());
    assertThat(r.err(), containsString("reelset run: preflight: stage 'frames': config.input '" + runs
        + "/no-such-videos': no such file or directory\n"));
    assertThat(r.err(), containsString("reelset run: preflight: stage 'out': config.output_dir '" + runs
        + "/a-file/out': " + runs + "/a-file is a file, not a directory\n"));
    assertThat(r.err(), containsString("2 preflight problems; nothing was run\n"));
    assertFalse(Files.exists(runs.resolve("r")), "no run directory is made");
  }

  @Test
  void preflightRefusesARunThatWouldFillTheDisk() throws Exception {
    Path videos = Files.createDirectories(runs.resolve("videos"));
    long size = 15L << 40; // a sparse 15 TiB "video": no disk here has that much free
    Assumptions.assumeTrue(Files.getFileStore(runs).getUsableSpace() < size);
    try (RandomAccessFile file = new RandomAccessFile(videos.resolve("huge.mkv").toFile(), "rw")) {
      file.setLength(size);
    } catch (java.io.IOException e) {
      Assumptions.abort("this file system has no sparse 15 TiB files: " + e.getMessage());
    }
    Path spec = runs.resolve("huge.yaml");
    Files.writeString(spec, "name: huge\nstages:\n  - id: frames\n    type: frame_extraction\n    config: {input: "
        + videos + "}\n");
    InProcessCli.Result r = reelset("run", spec.toString(), "--runs-dir", runs.resolve("r").toString());
    assertEquals(2, r.code(), r.err());
    assertThat(r.err(), containsString("reelset run: preflight: not enough free disk for the run directory "));
    assertThat(r.err(), containsString("the run is estimated to write 15.0 TiB (frames and crops of 15.0 TiB of"
        + " video)"));
    assertThat(r.err(), containsString("1 preflight problem; nothing was run"));
  }

  @Test
  void onlyARunThatRanItsPipelineMarksItsClassesWorthArchiving() throws Exception {
    // scripts/reelset keeps the JVM's class data archive only when this marker exists
    Path marker = runs.resolve("ran");
    String before = System.getProperty(io.reelset.run.RunLauncher.ARCHIVE_MARKER);
    System.setProperty(io.reelset.run.RunLauncher.ARCHIVE_MARKER, marker.toString());
    try {
      assertEquals(0, reelset("run", "--help").code());
      assertEquals(2, reelset("run", runs.resolve("missing.yaml").toString(), "--runs-dir", dir()).code());
      Files.writeString(runs.resolve("nothing.yaml"), "name: nothing\nstages:\n  - id: frames\n"
          + "    type: frame_extraction\n    config: {input: " + runs.resolve("no-such-videos") + "}\n");
      assertEquals(2, reelset("run", runs.resolve("nothing.yaml").toString(), "--runs-dir", dir()).code());
      assertFalse(Files.exists(marker), "help, a missing file and a failed preflight load too few classes");

      assertEquals(1, reelset("run", RUN + "ratio.yaml", "--runs-dir", dir(), "--run-id", "bad").code());
      assertTrue(Files.exists(marker), "a failed run ran its pipeline");
      Files.delete(marker);
      assertEquals(0, reelset("run", VALID + "diamond.yaml", "--runs-dir", dir(), "--run-id", "ok").code());
      assertTrue(Files.exists(marker));
    } finally {
      if (before == null) {
        System.clearProperty(io.reelset.run.RunLauncher.ARCHIVE_MARKER);
      } else {
        System.setProperty(io.reelset.run.RunLauncher.ARCHIVE_MARKER, before);
      }
    }
  }

  /** Makes a finished run look as if {@code pid} were still running it. */
  private static void markRunningBy(Path run, long pid) throws Exception {
    ObjectNode status = (ObjectNode) JSON.readTree(run.resolve("status.json").toFile());
    status.put("state", "running");
    status.remove("finishedAt");
    status.put("pid", pid);
    status.remove("processStart");
    ProcessHandle.of(pid).flatMap(p -> p.info().startInstant())
        .ifPresent(start -> status.put("processStart", start.toString()));
    Files.writeString(run.resolve("status.json"), JSON.writeValueAsString(status));
  }

  /** The pid of a process that has ended. */
  private static long deadPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.pid();
  }
}
