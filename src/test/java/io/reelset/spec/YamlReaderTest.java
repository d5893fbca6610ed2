package io.reelset.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {

  @Test
  void plainScalarsFollowTheYaml12CoreSchema() {
    assertEquals(3L, YamlReader.resolvePlain("3"));
    assertEquals(-3L, YamlReader.resolvePlain("-3"));
    assertEquals(1.5, YamlReader.resolvePlain("1.5"));
    assertEquals(1e3, YamlReader.resolvePlain("1e3"));
    assertEquals(Boolean.TRUE, YamlReader.resolvePlain("true"));
    assertNull(YamlReader.resolvePlain("~"));
    // YAML 1.1 booleans and sexagesimals stay text: no Norway problem
    for (String text : List.of("yes", "no", "on", "off", "NO", "12:30", "0x1F", "1_000")) {
      assertEquals(text, YamlReader.resolvePlain(text));
    }
  }

  @Test
  void quotedScalarsAreAlwaysStrings() throws SpecException {
    YamlValue value = YamlReader.parse("a: \"1\"\nb: '2.5'\nc: !!str 3\nd: 4\n", "t.yaml");
    assertEquals(Map.of("a", "1", "b", "2.5", "c", "3", "d", 4L), value.toPlain());
  }

  @Test
  void marksAreOneBased() throws SpecException {
    YamlValue.Mapping root = (YamlValue.Mapping) YamlReader.parse("name: x\nstages:\n  - id: a\n", "t.yaml");
    assertEquals(new Mark("t.yaml", 2, 1), root.keyMark("stages"));
    assertEquals(new Mark("t.yaml", 3, 5), ((YamlValue.Sequence) root.entries().get("stages")).items().get(0).mark());
  }

  @Test
  void aByteOrderMarkIsAccepted() throws SpecException {
    assertEquals(Map.of("name", "x"), YamlReader.parse("\uFEFFname: x\n", "t.yaml").toPlain());
  }

  @Test
  void aliasesExpandButABillionLaughsIsRefused() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    char previous = 'a';
    for (char c = 'b'; c <= 'k'; c++) {
      String refs = String.join(", ", Arrays.stream(new String[10]).map(s -> "*" + "x").toList());
      bomb.append(c).append(": &").append(c).append(" [").append(refs.replace("x", String.valueOf(previous))).append("]\n");
      previous = c;
    }
    SpecException e = assertThrows(SpecException.class, () -> YamlReader.parse(bomb.toString(), "bomb.yaml"));
    assertEquals(1, e.problems().size());
  }

  /** 24 levels of two aliases each: 2^24 values once expanded, under SnakeYAML's 50-alias limit. */
  static String aliasBomb() {
    StringBuilder yaml = new StringBuilder("name: bomb\nparams:\n  l0: &l0 [x, y]\n");
    for (int level = 1; level <= 24; level++) {
      yaml.append("  l").append(level).append(": &l").append(level).append(" [*l").append(level - 1)
          .append(", *l").append(level - 1).append("]\n");
    }
    return yaml.append("stages: []\n").toString();
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void anAliasBombIsAProblemNotAnOutOfMemoryError() {
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> YamlReader.parse(aliasBomb(), "bomb.yaml"));
    assertEquals(List.of("bomb.yaml:4:7: the document holds more than 100000 values once its aliases (*name) are"
        + " expanded; write the values out, or use fewer aliases"), e.lines());
  }

  @Test
  @org.junit.jupiter.api.Timeout(10)
  void aHugeFileIsRefusedBeforeItIsScanned(@TempDir Path dir) throws Exception {
    Path huge = dir.resolve("huge.yaml");
    try (var out = Files.newBufferedWriter(huge)) {
      out.write("name: \"");
      for (int i = 0; i < 50 * 1024; i++) {
        out.write("x".repeat(1024));
      }
      out.write("\"\n");
    }
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> YamlReader.read(huge, "huge.yaml"));
    assertEquals(List.of("huge.yaml: is 50.0 MiB; a YAML file read here may be at most 1024 KiB"), e.lines());
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 10, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeIsRefusedNotWaitedOn(@TempDir Path dir) throws Exception {
    Path pipe = dir.resolve("pipe.yaml");
    assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor());
    SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
        () -> YamlReader.read(pipe, "pipe.yaml"));
    assertEquals(List.of("pipe.yaml: is not a regular file (a pipe or a device); give the path of a pipeline YAML file"),
        e.lines());
  }

  @Test
  void anEmptyDataFileIsAnEmptyDocument(@TempDir Path dir) throws Exception {
    Path empty = Files.writeString(dir.resolve("identities.yaml"), "# nothing yet\n");
    assertEquals(null, YamlReader.readData(empty, "identities.yaml").toPlain());
  }

  /** A template may stand wherever a scalar can, flow collections included; columns still point into the file. */
  @Test
  void templatesStandInFlowMappingsAndSequences() throws SpecException {
    YamlValue.Mapping root = (YamlValue.Mapping) YamlReader.parse(
        "a: {mode: fps, fps: ${params.fps}}\nb: [${params.x}, 1, \"q${params.y}\"]\nc: $${params.z}\n", "t.yaml");
    assertEquals(Map.of("a", Map.of("mode", "fps", "fps", "${params.fps}"),
        "b", List.of("${params.x}", 1L, "q${params.y}"), "c", "$${params.z}"), root.toPlain());
    YamlValue.Mapping a = (YamlValue.Mapping) root.entries().get("a");
    assertEquals(new Mark("t.yaml", 1, 21), a.entries().get("fps").mark());
  }
}
