package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.OutputFiles;
import io.reelset.media.TestVideos;
import io.reelset.run.RunDirectory;
import io.reelset.testing.InProcessCli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: a small tmpfs mounted for the test (root only; CI runs as root). A run
 * whose stage fills its disk fails with a message that says so, its status and events record it,
 * and no temporary file is left; the run directory keeps a reserve so its last status can be
 * written on a disk that is full.
 */
class DiskFullTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  private Path mounted;

  private Path tmpfs(String size) throws Exception {
    Path point = Files.createDirectories(dir.resolve("tmpfs"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", point.toString())
        .redirectErrorStream(true).start();
    String said = new String(mount.getInputStream().readAllBytes());
    Assumptions.assumeTrue(mount.waitFor() == 0, "mounting a tmpfs needs root: " + said);
    mounted = point;
    return point;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted != null) {
      new ProcessBuilder("umount", "-l", mounted.toString()).inheritIO().start().waitFor();
    }
  }

  private static void fill(Path disk) {
    try (var out = Files.newOutputStream(disk.resolve("filler"))) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
      }
    } catch (IOException full) {
      assertThat(full.getMessage(), containsString("No space left on device"));
    }
  }

  private static List<String> temporaries(Path root) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.map(Path::toString).filter(p -> p.endsWith(".tmp")).toList();
    }
  }

  @Test
  void aStageThatFillsItsDiskFailsTheRunSayingSo() throws Exception {
    Path disk = tmpfs("48k");
    Path video = TestVideos.write(dir.resolve("clip.mkv"), 10, 100, 10, i -> 20 + i * 2);
    Path spec = Files.writeString(dir.resolve("frames.yaml"), "name: frames\nstages:\n  - id: frames\n"
        + "    type: frame_extraction\n    config: {input: \"" + video + "\", sampling: {mode: every_n, n: 1},"
        + " image: {format: png}, save: true, output_dir: \"" + disk + "/frames\"}\n");
    Path runs = dir.resolve("runs");
    InProcessCli.Result r = InProcessCli.reelset("run", spec.toString(), "--runs-dir", runs.toString(),
        "--run-id", "full");
    assertEquals(1, r.code(), r.out() + r.err());
    assertThat(r.err(), containsString("run full: failed: the disk is full (cannot write " + disk + "/frames/"));
    assertThat(r.err(), containsString("free some space, then reelset resume finishes the run"));
    JsonNode status = JSON.readTree(runs.resolve("full/status.json").toFile());
    assertEquals("failed", status.get("state").asText());
    assertThat(status.get("error").asText(), containsString("the disk is full"));
    List<String> events = Files.readAllLines(runs.resolve("full/events.jsonl"));
    assertEquals("run_failed", JSON.readTree(events.get(events.size() - 1)).get("event").asText());
    assertEquals(List.of(), temporaries(disk));
    assertEquals(List.of(), temporaries(runs));
    assertTrue(Files.notExists(runs.resolve("full/.reserve")), "the reserve is given back when the run ends");
  }

  /** 400 frames of 64x48 as PNG (0.75 bytes a pixel, saved and recorded) need 1.8 MiB; as JPEG, far less. */
  @Test
  void preflightEstimatesWithTheConfiguredImageFormat() throws Exception {
    Path disk = tmpfs("1m");
    Path video = TestVideos.write(dir.resolve("clip.mkv"), 25, 400, 25, i -> 20 + i % 200);
    io.reelset.compile.StageRegistry registry = io.reelset.compile.StageRegistry.discover();
    for (String format : List.of("png", "jpg")) {
      Path spec = Files.writeString(dir.resolve(format + ".yaml"), "name: frames\nstages:\n  - id: frames\n"
          + "    type: frame_extraction\n    config: {input: \"" + video + "\", sampling: {mode: every_n, n: 1},"
          + " image: {format: " + format + "}, save: true}\n");
      String runDir = disk.resolve(format).toString();
      io.reelset.plan.Plan plan = io.reelset.plan.PlanLoader.load(spec, format + ".yaml", Map.of(), registry, runDir);
      List<String> problems = io.reelset.run.RunLauncher.preflight(plan, registry, runDir).problems();
      if (format.equals("png")) {
        assertEquals(1, problems.size(), problems.toString());
        assertThat(problems.get(0), containsString("the run is estimated to write 1.8 MiB (frames and crops of "));
      } else {
        assertEquals(List.of(), problems);
      }
    }
  }

  @Test
  void theRunDirectoryWritesItsLastStatusOnAFullDiskFromItsReserve() throws Exception {
    Path disk = tmpfs("1m");
    RunDirectory run = RunDirectory.create(disk.resolve("run"), Clock.systemUTC());
    run.reserve();
    fill(disk);
    run.event("run_failed", Map.of("error", "the disk is full"));
    assertThat(Files.readString(disk.resolve("run/events.jsonl")), containsString("run_failed"));
    fill(disk);
    UncheckedIOException spent = assertThrows(UncheckedIOException.class,
        () -> run.event("progress", Map.of("counters", "x".repeat(8192))));
    assertThat(spent.getMessage(), containsString("cannot append to " + disk.resolve("run/events.jsonl")));
    IOException write = assertThrows(IOException.class,
        () -> OutputFiles.writeBytes(disk.resolve("out").toString(), "big.png", new byte[64 * 1024]));
    assertThat(write.toString(), containsString("No space left on device"));
    assertEquals(List.of(), temporaries(disk), "a write that found the disk full leaves no temporary file");
  }
}
