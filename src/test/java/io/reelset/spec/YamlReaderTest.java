package io.reelset.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
