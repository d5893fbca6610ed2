package io.reelset.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.compile.StageRegistry;
import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import io.reelset.plan.PlanRenderer;
import io.reelset.testing.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import org.junit.jupiter.api.io.TempDir;

/** The {@code reelset} command line, run in-process with captured output. */
class CliTest {
  private static final String VALID = "src/test/resources/specs/valid/";
  private static final String INVALID = "src/test/resources/specs/invalid/";
  private static final String RUN = "src/test/resources/specs/run/";
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path runs;

  private static InProcessCli.Result reelset(String... args) {
    return InProcessCli.reelset(args);
  }

  @Test
  void everyExamplePipelineValidates() throws Exception {
    List<Path> examples;
    try (var files = Files.list(Path.of("examples"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(examples.size() >= 6, examples.toString());
    for (Path example : examples) {
      InProcessCli.Result r = reelset("validate", example.toString());
      assertEquals(0, r.code(), example + ": " + r.err());
    }
  }

  @Test
  void theCommandLineBuiltForOneSubcommandAnswersAsTheWholeOne() {
    // main builds only the subcommand its arguments name (each costs a start reflection)
    CommandLine whole = ReelsetCommand.createCommandLine();
    assertEquals(13, whole.getSubcommands().size());
    for (String name : whole.getSubcommands().keySet()) {
      for (String[] args : List.of(new String[] {name, "--help"}, new String[] {name, "--no-such-option"})) {
        assertEquals(execute(ReelsetCommand.createCommandLine(), args), execute(ReelsetCommand.createCommandLine(args), args),
            String.join(" ", args));
      }
    }
    assertEquals(java.util.Set.of("status"),
        ReelsetCommand.createCommandLine(new String[] {"status", "run"}).getSubcommands().keySet());
    for (String[] args : List.of(new String[] {"help", "run"}, new String[] {"rn"}, new String[] {"--help"}, new String[0])) {
      assertEquals(whole.getSubcommands().keySet(), ReelsetCommand.createCommandLine(args).getSubcommands().keySet(),
          String.join(" ", args));
      assertEquals(execute(ReelsetCommand.createCommandLine(), args), execute(ReelsetCommand.createCommandLine(args), args));
    }
  }

  /** Exit code, stdout and stderr of {@code cli} on {@code args}. */
  private static List<Object> execute(CommandLine cli, String[] args) {
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    cli.setOut(new java.io.PrintWriter(out, true));
    cli.setErr(new java.io.PrintWriter(err, true));
    int code = cli.execute(args);
    return List.of(code, out.toString(), err.toString());
  }

  @Test
  void validateAcceptsAValidFile() {
    InProcessCli.Result r = reelset("validate", VALID + "diamond.yaml");
    assertEquals(0, r.code(), r.err());
    assertEquals(VALID + "diamond.yaml: ok (pipeline diamond, 4 stages in 3 steps)\n", r.out());
  }

  @Test
  void validateReportsEveryProblemWithExitCode2() throws Exception {
    InProcessCli.Result r = reelset("validate", INVALID + "wrong_types.yaml");
    assertEquals(2, r.code());
    String expected = Files.readString(Path.of(INVALID + "wrong_types.errors.txt"))
        .replace("wrong_types.yaml:", INVALID + "wrong_types.yaml:");
    assertEquals(expected + "8 problems found\n", r.err());
  }

  @Test
  void fileProblemsAreOneLineAndNeverAStackTrace() throws Exception {
    Path dir = Files.createDirectory(runs.resolve("a-directory.yaml"));
    Map<String, String> expected = Map.of(
        runs.resolve("missing.yaml").toString(), "no such file",
        dir.toString(), "is a directory; give the path of a pipeline YAML file",
        INVALID + "empty.yaml", "1:1: the file is empty; a pipeline needs at least 'name' and 'stages'",
        INVALID + "not_utf8.yaml", "5:25: not valid UTF-8 (byte 0xE9); save the file as UTF-8",
        INVALID + "malformed.yaml", "5:26: malformed YAML: expected ',' or ']', but got } (while parsing a flow sequence)");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      for (String command : List.of("validate", "plan", "run")) {
        InProcessCli.Result r = command.equals("run")
            ? reelset(command, e.getKey(), "--runs-dir", runs.toString())
            : reelset(command, e.getKey());
        assertEquals(2, r.code(), command + " " + e.getKey());
        String sep = e.getValue().matches("\\d+:\\d+:.*") ? ":" : ": ";
        assertEquals(e.getKey() + sep + e.getValue() + "\n1 problem found\n", r.err());
        assertThat(r.err(), not(containsString("Exception")));
      }
    }
  }

  @Test
  void planRendersEachFormat() throws Exception {
    assertEquals(Files.readString(Path.of(VALID + "diamond.plan.txt")),
        reelset("plan", VALID + "diamond.yaml").out());
    assertEquals(Files.readString(Path.of(VALID + "diamond.dot")),
        reelset("plan", VALID + "diamond.yaml", "--format", "dot").out());
    assertEquals(Files.readString(Path.of(VALID + "diamond.mmd")),
        reelset("plan", VALID + "diamond.yaml", "--format=mermaid").out());
    InProcessCli.Result bad = reelset("plan", VALID + "diamond.yaml", "--format", "svg");
    assertEquals(2, bad.code());
    assertThat(bad.err(), containsString("expected one of [TEXT, DOT, MERMAID]"));
  }

  @Test
  void paramsOverrideTypedValues() throws Exception {
    InProcessCli.Result r = reelset("plan", VALID + "params.yaml", "--param", "times=3", "--param", "label=night");
    assertEquals(Files.readString(Path.of(VALID + "params.plan.txt")), r.out());
    InProcessCli.Result bad = reelset("plan", VALID + "params.yaml", "--param", "times=three");
    assertEquals(2, bad.code());
    assertEquals("--param times=three: expected a number like the declared default"
        + " (the integer 1), got 'three'\n1 problem found\n", bad.err());
    InProcessCli.Result noValue = reelset("plan", VALID + "params.yaml", "--param", "times");
    assertEquals(2, noValue.code());
    assertThat(noValue.err(), containsString("should be in KEY=VALUE format but was times"));
  }

  @Test
  void hostileTextIsShownEscapedOnOneLine(@TempDir Path dir) throws Exception {
    Path spec = Files.writeString(dir.resolve("evil.yaml"), "name: evil\nstages:\n"
        + "  - id: \"a\\nb\\0c\\e[31md\\u202Ee\"\n    type: \"x\\ny\"\n"
        + "  - id: out\n    type: frame_extraction\n    config: {input: \"{params.videos}\"}\n");
    InProcessCli.Result r = reelset("validate", spec.toString());
    assertEquals(2, r.code());
    for (char c : r.err().toCharArray()) {
      assertTrue(c == '\n' || !Character.isISOControl(c) && c != '\u202E', "raw control character in " + r.err());
    }
    assertThat(r.err(), containsString("stages[0].id: 'a\\nb\\u0000c\\u001B[31md\\u202Ee' is not a valid stage id"));
    assertThat(r.err(), containsString("unknown stage type 'x\\ny'"));
    assertThat(r.err(), containsString("stage 'out': config.input: '{params.videos}' is not a stage output; write"
        + " ${params.videos} to use a param"));
  }

  /** The end of a run says what the dataset holds and where; an empty one is said loudly. */
  @Test
  void aRunEndsWithWhatItMadeAndAnEmptyDatasetIsSaidLoudly(@TempDir Path dir) throws Exception {
    String spec = "name: ds\nstages:\n  - id: ids\n    type: test_assignments\n    config: {identities: %s}\n"
        + "  - id: dataset\n    type: training_data_prep\n    depends_on: [ids]\n    config: {min_images: 3, validation: 0, min_side: 0}\n";
    Path full = Files.writeString(dir.resolve("full.yaml"), String.format(spec, "{identity_001: 4, identity_002: 2}"));
    InProcessCli.Result r = reelset("run", full.toString(), "--runs-dir", runs.toString(), "--run-id", "full");
    assertEquals(0, r.code(), r.err());
    Path dataset = runs.resolve("full/dataset");
    assertThat(r.out(), containsString("dataset: 1 identity, 4 images (4 train, 0 validation) in " + dataset + "\n"
        + "dataset: 1 identities left out (too few images); see stats.json\n"
        + "dataset: 4 of 4 training images are smaller than the bucket the trainer puts them in and will be up-scaled"
        + " (stats.json: buckets); a higher min_side or a lower max_side avoids it\n"
        + "dataset: review it before training: " + dataset + "/report.html\n"
        + "run full: done; status in "));
    Path none = Files.writeString(dir.resolve("none.yaml"), String.format(spec, "{identity_001: 2}"));
    InProcessCli.Result e = reelset("run", none.toString(), "--runs-dir", runs.toString(), "--run-id", "none");
    assertEquals(0, e.code(), e.err());
    assertThat(e.err(), containsString("dataset: THE DATASET IS EMPTY: no identity had enough images"));
    assertThat(e.out(), containsString("run none: done, BUT ITS RESULT IS EMPTY (above); status in "));
    JsonNode status = JSON.readTree(runs.resolve("none/status.json").toFile());
    assertThat(status.get("warnings").toString(), containsString("dataset: THE DATASET IS EMPTY: no identity had"));
    assertThat(reelset("status", "none", "--runs-dir", runs.toString()).out(),
        containsString("  warning:  dataset: THE DATASET IS EMPTY"));
    assertThat(Files.readString(runs.resolve("none/dataset/report.html")), containsString(
        "THE DATASET IS EMPTY: no identity had enough images (min_images, now 3); lower it"));
    assertFalse(JSON.readTree(runs.resolve("full/status.json").toFile()).has("warnings"), "a useful run warns of nothing");
    assertFalse(Files.readString(dataset.resolve("report.html")).contains("id=\"empty\""));
  }

  /** Preflight estimates the frames of every listed video from its header; a pipe it never opens. */
  @Test
  // a separate thread: a test stuck opening a pipe fails at the timeout instead of hanging the build
  @org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void preflightNeverOpensAPipeNamedInAListFile(@TempDir Path dir) throws Exception {
    Path pipe = dir.resolve("pipe.mkv");
    assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
    Path clip = io.reelset.media.TestVideos.write(dir.resolve("clip.mkv"), 10, 20, 10, i -> 40 + i * 5);
    Path list = Files.writeString(dir.resolve("videos.txt"), pipe + "\n" + clip + "\n");
    Path spec = Files.writeString(dir.resolve("frames.yaml"), "name: frames\nstages:\n  - id: frames\n"
        + "    type: frame_extraction\n    config: {input: \"" + list + "\"}\n");
    InProcessCli.Result r = reelset("run", spec.toString(), "--runs-dir", runs.toString(), "--run-id", "piped");
    assertEquals(0, r.code(), r.err());
    String failures = Files.readString(runs.resolve("piped/failures/frames.jsonl"));
    assertThat(failures, containsString("a named pipe (FIFO), not a regular file"));
  }

  @Test
  void badRunnerNumbersAreBadOptionsBeforeAnyRunDirectory() throws Exception {
    for (String option : List.of("--targetParallelism=0", "--targetParallelism=-3", "--parallelism=0")) {
      InProcessCli.Result r = reelset("run", VALID + "diamond.yaml", "--runs-dir", runs.toString(), "--run-id", "p0",
          option);
      assertEquals(2, r.code(), r.err());
      assertThat(r.err(), containsString("bad Beam option: " + option + ": "));
      assertFalse(Files.exists(runs.resolve("p0")), option + " created a run directory");
    }
  }

  @Test
  void runWritesTheRunDirectoryAndExitsZero() throws Exception {
    InProcessCli.Result r = reelset("run", VALID + "diamond.yaml", "--runs-dir", runs.toString(), "--run-id", "d1",
        "--targetParallelism=2");
    assertEquals(0, r.code(), r.err());
    Path dir = runs.resolve("d1");
    assertThat(r.out(), containsString("run d1: diamond on DirectRunner, 4 stages; run directory " + dir));
    assertThat(r.out(), containsString("run d1: done"));
    assertThat(r.err(), containsString("a: 2 out, 1 failed | b: 1 out, 1 failed | c: 2 out | d: 3 out"));

    JsonNode status = JSON.readTree(dir.resolve("status.json").toFile());
    assertEquals("completed", status.get("state").asText());
    assertEquals("d1", status.get("runId").asText());
    assertEquals("DirectRunner", status.get("runner").asText());
    assertEquals(2, status.at("/stages/a/counters/output").asLong());
    assertEquals(1, status.at("/stages/a/counters/failures").asLong());
    assertEquals(3, status.at("/stages/d/counters/output").asLong());
    assertEquals("test_join", status.at("/stages/d/type").asText());
    assertTrue(status.hasNonNull("finishedAt"));

    List<String> events = Files.readAllLines(dir.resolve("events.jsonl")).stream()
        .map(line -> readTree(line).get("event").asText()).toList();
    assertEquals("run_started", events.get(0));
    assertEquals("run_done", events.get(events.size() - 1));

    assertTrue(Files.exists(dir.resolve("failures/a.jsonl")));
    assertTrue(Files.exists(dir.resolve("failures/b.jsonl")));

    // the resolved spec loads again to the same plan, with outputs already absolute
    StageRegistry registry = StageRegistry.discover();
    Plan original = PlanLoader.load(Path.of(VALID + "diamond.yaml"), "diamond.yaml", Map.of(), registry, dir.toString());
    Plan reloaded = PlanLoader.load(dir.resolve("spec.resolved.yaml"), "spec.resolved.yaml", Map.of(), registry, "/elsewhere");
    assertEquals(PlanRenderer.render(original, PlanRenderer.Format.TEXT),
        PlanRenderer.render(reloaded, PlanRenderer.Format.TEXT));
  }

  @Test
  void runRefusesAnExistingRunIdAndBadBeamOptions() throws Exception {
    Files.createDirectory(runs.resolve("taken"));
    InProcessCli.Result taken = reelset("run", VALID + "diamond.yaml", "--runs-dir", runs.toString(), "--run-id", "taken");
    assertEquals(2, taken.code());
    assertThat(taken.err(), containsString("run 'taken' already exists"));

    InProcessCli.Result badOption = reelset("run", VALID + "diamond.yaml", "--runs-dir", runs.toString(), "--runnr=Flink");
    assertEquals(2, badOption.code());
    assertThat(badOption.err(), containsString("bad Beam option"));
    assertThat(badOption.err(), containsString("runnr"));

    InProcessCli.Result badRunner = reelset("run", VALID + "diamond.yaml", "--runs-dir", runs.toString(), "--runner=NoSuchRunner");
    assertEquals(2, badRunner.code());
    assertThat(badRunner.err(), containsString("NoSuchRunner"));

    try (var files = Files.list(runs)) {
      assertEquals(List.of(runs.resolve("taken")), files.toList(), "bad input creates no run directory");
    }
  }

  @Test
  void aCrashingPipelineExitsOneAndIsMarkedFailed() throws Exception {
    InProcessCli.Result r = reelset("run", RUN + "crash.yaml", "--runs-dir", runs.toString(), "--run-id", "c1");
    assertEquals(1, r.code());
    assertThat(r.err(), containsString("run c1: failed: UnsupportedOperationException: crashing on boom"));
    JsonNode status = JSON.readTree(runs.resolve("c1/status.json").toFile());
    assertEquals("failed", status.get("state").asText());
    assertThat(status.get("error").asText(), containsString("crashing on boom"));
    List<String> lines = Files.readAllLines(runs.resolve("c1/events.jsonl"));
    assertEquals("run_failed", readTree(lines.get(lines.size() - 1)).get("event").asText());
  }

  @Test
  void aStageAboveItsMaxFailureRatioFailsTheRun() throws Exception {
    InProcessCli.Result r = reelset("run", RUN + "ratio.yaml", "--runs-dir", runs.toString(), "--run-id", "r1");
    assertEquals(1, r.code());
    String reason = "stage 'map' failed 2 of 4 items (50.0%), above its max_failure_ratio 0.25;"
        + " see failures/map.jsonl";
    assertThat(r.err(), containsString(reason));
    assertEquals(reason, JSON.readTree(runs.resolve("r1/status.json").toFile()).get("error").asText());
    assertEquals(2, Files.readAllLines(runs.resolve("r1/failures/map.jsonl")).size());
  }

  @Test
  void aCombinationAStageRefusesAtBuildTimeIsBadInputForRun() throws Exception {
    Path spec = Files.writeString(runs.resolve("join.yaml"),
        Files.readString(Path.of(VALID + "diamond.yaml")) + "    config: {tag: \"\"}\n");
    String expected = spec + ": stage 'd': config.tag: must not be empty when the stage joins more than one input\n";
    // validate reads the file only; a rule that needs the built pipeline (here: how many inputs) is run's
    assertEquals(0, reelset("validate", spec.toString()).code());
    InProcessCli.Result run = reelset("run", spec.toString(), "--runs-dir", runs.resolve("runs").toString());
    assertEquals(2, run.code());
    assertEquals("reelset run: " + expected, run.err());
    assertFalse(Files.exists(runs.resolve("runs")), "nothing is created for bad input");
  }

  @Test
  void aMissingOrBrokenModelIsBadInputBeforeAnythingRuns() throws Exception {
    Path notAModel = Files.writeString(runs.resolve("model.onnx"), "not a model");
    Path clip = io.reelset.media.TestVideos.write(runs.resolve("clip.mkv"), 10, 20, 10, i -> 40 + i * 5);
    String spec = "name: seg\nstages:\n  - id: frames\n    type: frame_extraction\n    config: {input: \"" + clip
        + "\"}\n  - id: characters\n    type: segmentation\n    depends_on: [frames]\n    config: {model: \"%s\"}\n";
    Path missing = Files.writeString(runs.resolve("missing.yaml"), String.format(spec, runs.resolve("nope.onnx")));
    InProcessCli.Result valid = reelset("validate", missing.toString());
    assertEquals(0, valid.code(), "validate reads the file only; the model is the preflight's");
    assertEquals("", valid.err());
    InProcessCli.Result r = reelset("run", missing.toString(), "--runs-dir", runs.resolve("runs").toString());
    assertEquals(2, r.code());
    assertEquals("reelset run: preflight: stage 'characters': config.model: model file "
        + runs.resolve("nope.onnx") + " does not exist; expected an ONNX segmentation model (run"
        + " scripts/fetch-models.sh for the default ISNet)\n1 preflight problem; nothing was run\n", r.err());
    Path broken = Files.writeString(runs.resolve("broken.yaml"), String.format(spec, notAModel));
    InProcessCli.Result b = reelset("run", broken.toString(), "--runs-dir", runs.resolve("runs").toString());
    assertEquals(2, b.code());
    assertThat(b.err(), containsString("config.model: model file " + notAModel + " cannot be loaded by ONNX Runtime"));
    assertFalse(Files.exists(runs.resolve("runs")));
  }

  @Test
  void stagesListsTypesAndFields() {
    InProcessCli.Result r = reelset("stages", "test_map");
    assertEquals(0, r.code());
    assertThat(r.out(), containsString("test_map: adds a suffix to every item (tests only)"));
    assertThat(r.out(), containsString("  times              an integer, from 1 to 10, default 1. how often the text is added"));
    // the fields of a nested mapping, indented under it
    InProcessCli.Result frames = reelset("stages", "frame_extraction");
    assertThat(frames.out(), containsString("  sampling           a mapping. how frames are chosen\n"
        + "    mode             one of every_n, fps, keyframes, scene, shots, default fps. which frames to take\n"));
    assertThat(frames.out(), containsString("\n    per_shot         an integer, from 1 to 100, default 1."));
    InProcessCli.Result unknown = reelset("stages", "nope");
    assertEquals(2, unknown.code());
    assertFalse(unknown.err().isEmpty());
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
