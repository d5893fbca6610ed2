package io.reelset.stages.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.reelset.compile.CompiledPipeline;
import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.values.Failure;
import io.reelset.values.VideoFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The {@code video_inventory} stage over a directory, a glob and a list file with bad entries. */
@ExtendWith(TestPipelineExtension.class)
class InventoryProviderTest {
  @TempDir Path work;

  private Path corpus() throws Exception {
    Path media = Files.createDirectories(work.resolve("media/season 1"));
    Files.write(media.resolve("ep1.mkv"), new byte[] {1, 2, 3});
    Files.write(work.resolve("media/ep2.MP4"), new byte[] {4, 5});
    Files.writeString(work.resolve("media/notes.md"), "not a video");
    Files.write(work.resolve("media/empty.mkv"), new byte[0]);
    return work.resolve("media");
  }

  @SuppressWarnings("unchecked")
  private CompiledPipeline compile(TestPipeline pipeline, String yaml) throws Exception {
    Path spec = Files.writeString(work.resolve("spec.yaml"), yaml);
    StageRegistry registry = StageRegistry.discover();
    Plan plan = PlanLoader.load(spec, "spec.yaml", Map.of(), registry, work.resolve("run").toString());
    return PipelineCompiler.compile(pipeline, plan, registry, work.resolve("run").toString());
  }

  private static String stage(String input) {
    return "name: inv\nstages:\n  - id: videos\n    type: video_inventory\n    config: {input: \"" + input + "\"}\n";
  }

  @Test
  @SuppressWarnings("unchecked")
  void aDirectoryIsSearchedRecursivelyForVideos(TestPipeline pipeline) throws Exception {
    Path media = corpus();
    CompiledPipeline compiled = compile(pipeline, stage(media.toString()));
    PCollection<VideoFile> videos = (PCollection<VideoFile>) compiled.outputs().get("videos");
    String root = media.toString();
    PAssert.that(videos).satisfies(found -> {
      List<String> relative = new ArrayList<>();
      found.forEach(v -> relative.add(v.relativePath() + ":" + v.sizeBytes()));
      relative.sort(null);
      assertEquals(List.of("empty.mkv:0", "ep2.MP4:2", "season 1/ep1.mkv:3"), relative);
      for (VideoFile v : found) {
        assertEquals(root + "/" + v.relativePath(), v.path());
      }
      return null;
    });
    PAssert.that(compiled.failures().apply(Flatten.pCollections())).empty();
    pipeline.run().waitUntilFinish();

    List<String> lines = Files.readAllLines(work.resolve("run/videos/videos.jsonl"));
    assertEquals(3, lines.size());
    assertEquals(lines.stream().sorted().toList(), lines, "videos.jsonl is sorted");
  }

  @Test
  @SuppressWarnings("unchecked")
  void aListFileWithMissingEntriesListsTheRestAndFailsTheMissing(TestPipeline pipeline) throws Exception {
    Path media = corpus();
    Path list = Files.writeString(media.resolve("episodes.txt"),
        "# my list\nseason 1/ep1.mkv\nmissing.mkv\n" + media.resolve("ep2.MP4") + "\n");
    CompiledPipeline compiled = compile(pipeline, stage(list.toString()));
    PCollection<VideoFile> videos = (PCollection<VideoFile>) compiled.outputs().get("videos");
    PAssert.that(videos).satisfies(found -> {
      List<String> keys = StreamSupport.stream(found.spliterator(), false)
          .map(v -> v.key().replaceAll("-[0-9a-f]{12}$", "")).sorted().toList();
      assertEquals(List.of("ep2.MP4", "season_1__ep1.mkv"), keys);
      return null;
    });
    PAssert.that(compiled.failures().apply(Flatten.pCollections()))
        .containsInAnyOrder(new Failure("videos", media.resolve("missing.mkv").toString(), "no such file", ""));
    pipeline.run().waitUntilFinish();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aGlobThatMatchesNothingIsAFailureNotACrash(TestPipeline pipeline) throws Exception {
    corpus();
    String glob = work.resolve("media").toString() + "/*.webm";
    CompiledPipeline compiled = compile(pipeline, stage(glob));
    PAssert.that((PCollection<VideoFile>) compiled.outputs().get("videos")).empty();
    PAssert.that(compiled.failures().apply(Flatten.pCollections()))
        .containsInAnyOrder(new Failure("videos", glob, "no file matches this glob", ""));
    pipeline.run().waitUntilFinish();
    assertEquals(List.of(), Files.readAllLines(work.resolve("run/videos/videos.jsonl")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void keysAreStableAcrossRunsAndWorkingDirectories(TestPipeline pipeline) throws Exception {
    Path media = corpus();
    CompiledPipeline compiled = compile(pipeline, stage(media + "/**.mkv"));
    PAssert.that((PCollection<VideoFile>) compiled.outputs().get("videos")).satisfies(found -> {
      for (VideoFile v : found) {
        if (v.relativePath().equals("season 1/ep1.mkv")) {
          assertEquals(io.reelset.media.VideoKeys.key("season 1/ep1.mkv", 3, new byte[] {1, 2, 3}, 3), v.key());
        }
      }
      return null;
    });
    pipeline.run().waitUntilFinish();
  }

  private static Path fifo(Path path) throws Exception {
    Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
    assertEquals(0, p.waitFor(), "mkfifo " + path);
    return path;
  }

  /**
   * Pipes as the input, in a list file and in a searched directory are failure lines and never
   * opened (a pipe opened for reading waits for a writer for ever); a name with a newline is
   * listed; a link back up the tree is followed once and said; a video reached by two paths is
   * listed once; and two files whose names clean alike and whose bytes are equal get two keys.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  @SuppressWarnings("unchecked")
  void pipesLinksAndOddNamesNeitherHangNorVanish(TestPipeline pipeline) throws Exception {
    Path media = corpus();
    fifo(media.resolve("pipe.mkv"));
    Files.write(media.resolve("line\nbreak.mkv"), new byte[] {7});
    Files.write(media.resolve("a b.mkv"), new byte[] {9, 9});
    Files.write(media.resolve("a_b.mkv"), new byte[] {9, 9});
    Files.createSymbolicLink(media.resolve("season 1/up"), Path.of(".."));
    Path other = Files.createDirectories(work.resolve("other"));
    Files.createSymbolicLink(other.resolve("again.mkv"), media.resolve("ep2.MP4"));
    Path listPipe = fifo(work.resolve("listed.mkv"));
    Path list = Files.writeString(work.resolve("videos.txt"), listPipe + "\n" + media.resolve("ep2.MP4") + "\n");
    Path inputPipe = fifo(work.resolve("input.mkv"));
    String yaml = "name: inv\nstages:\n"
        + "  - id: dir\n    type: video_inventory\n    config: {input: \"" + media + "\"}\n"
        + "  - id: list\n    type: video_inventory\n    config: {input: \"" + list + "\"}\n"
        + "  - id: pipe\n    type: video_inventory\n    config: {input: \"" + inputPipe + "\"}\n";
    CompiledPipeline compiled = compile(pipeline, yaml);
    PAssert.that((PCollection<VideoFile>) compiled.outputs().get("dir")).satisfies(found -> {
      List<String> relative = new ArrayList<>();
      java.util.Set<String> keys = new java.util.HashSet<>();
      found.forEach(v -> {
        relative.add(v.relativePath());
        keys.add(v.key());
      });
      relative.sort(null);
      assertEquals(List.of("a b.mkv", "a_b.mkv", "empty.mkv", "ep2.MP4", "line\nbreak.mkv", "season 1/ep1.mkv"),
          relative);
      assertEquals(relative.size(), keys.size(), "one key per video: " + keys);
      return null;
    });
    PAssert.that((PCollection<VideoFile>) compiled.outputs().get("list")).satisfies(found -> {
      assertEquals(List.of("media/ep2.MP4"), StreamSupport.stream(found.spliterator(), false)
          .map(VideoFile::relativePath).toList());
      return null;
    });
    String workDir = work + "/";
    PAssert.that(compiled.failures().apply(Flatten.pCollections())).satisfies(failures -> {
      List<String> lines = new ArrayList<>();
      failures.forEach(f -> lines.add(f.stageId() + " " + f.itemKey().replace(workDir, "") + ": " + f.error()));
      lines.sort(null);
      String pipe = "a named pipe (FIFO), not a regular file: only regular files are read (a pipe would wait for a"
          + " writer for ever)";
      assertEquals(List.of(
          "dir media/pipe.mkv: " + pipe,
          "dir media/season 1/up: a link back to a folder already searched; skipped",
          "list listed.mkv: " + pipe,
          "pipe input.mkv: " + pipe), lines);
      return null;
    });
    pipeline.run().waitUntilFinish();
    assertEquals(1, Files.readAllLines(work.resolve("run/list/videos.jsonl")).size());
  }
}
