package io.reelset.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamResolverTest {
  private static final String DECLARED = "fps: 1\nratio: 0.5\nname: day\nids: [a]\nflag: false\n";

  private static Map<String, Object> params(Map<String, String> overrides, List<SpecProblem> problems)
      throws SpecException {
    Map<String, Object> plain = new LinkedHashMap<>();
    ParamResolver.params(YamlReader.parse(DECLARED, "p.yaml"), overrides, problems)
        .forEach((k, v) -> plain.put(k, v.toPlain()));
    return plain;
  }

  @Test
  void overridesAreTypedLikeTheDeclaredValue() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> params = params(
        Map.of("fps", "2", "ratio", "1", "name", "42", "ids", "[b, c]", "flag", "true"), problems);
    assertEquals(List.of(), problems);
    assertEquals(2L, params.get("fps"));
    assertEquals(1.0, params.get("ratio"));
    assertEquals("42", params.get("name"));
    assertEquals(List.of("b", "c"), params.get("ids"));
    assertEquals(true, params.get("flag"));
  }

  @Test
  void aWholeReferenceKeepsTheTypeAndASplicedOneBecomesText() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, YamlValue> params = ParamResolver.params(YamlReader.parse(DECLARED, "p.yaml"), Map.of(), problems);
    YamlValue stage = YamlReader.parse("a: ${params.fps}\nb: x${params.fps}y\nc: ${params.ids}\nd: $${params.fps}\n", "s.yaml");
    Object resolved = ParamResolver.substitute(stage, params, "st", "", problems).toPlain();
    assertEquals(Map.of("a", 1L, "b", "x1y", "c", List.of("a"), "d", "${params.fps}"), resolved);
    assertEquals(List.of(), problems);
  }

  @Test
  void aListCannotBeSplicedIntoText() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, YamlValue> params = ParamResolver.params(YamlReader.parse(DECLARED, "p.yaml"), Map.of(), problems);
    ParamResolver.substitute(YamlReader.parse("a: \"ids=${params.ids}\"\n", "s.yaml"), params, "st", "", problems);
    assertEquals(1, problems.size());
    assertEquals("s.yaml:1:9: stage 'st': a: param 'ids' is a list and cannot be spliced into text",
        problems.get(0).render());
  }

  @Test
  void mistypedOverridesAreRefused() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("flag", "yes");
    overrides.put("ids", "a");
    overrides.put("fps", "two");
    params(overrides, problems);
    assertEquals(List.of(
        "--param flag=yes: expected true or false like the declared default (the boolean false), got 'yes'",
        "--param ids=a: expected a value of the same kind as the declared default (a list), got the string 'a'",
        "--param fps=two: expected a number like the declared default (the integer 1), got 'two'"),
        problems.stream().map(SpecProblem::render).toList());
  }

  /** What a shell hands over is what a string param gets, and a number is a number. */
  @Test
  void aStringParamTakesTheTextAsWritten() throws SpecException {
    for (String text : List.of("/data/my videos #1/ep.mkv", "007", "1e3", "~", "!x", "*.mkv", "", "a: b", "[x]")) {
      List<SpecProblem> problems = new ArrayList<>();
      assertEquals(text, params(Map.of("name", text), problems).get("name"), text);
      assertEquals(List.of(), problems, text);
    }
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> params = params(Map.of("fps", "0.5", "ratio", "1e3"), problems);
    assertEquals(List.of(), problems);
    assertEquals(0.5, params.get("fps"), "an integer default takes a decimal");
    assertEquals(1000.0, params.get("ratio"));
  }

  @Test
  void aParamMayUseTheParamsDeclaredBeforeIt() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> plain = new LinkedHashMap<>();
    ParamResolver.params(YamlReader.parse("root: /data\nclips: \"${params.root}/clips\"\nfps: 2\n"
        + "early: \"${params.late}\"\nself: \"${params.self}x\"\nlate: 1\n", "p.yaml"), Map.of("root", "/mnt"), problems)
        .forEach((k, v) -> plain.put(k, v.toPlain()));
    assertEquals("/mnt/clips", plain.get("clips"));
    assertEquals(List.of(
        "p.yaml:4:9: params.early: param 'late' is declared after this one; a param may use only the params declared"
            + " before it",
        "p.yaml:5:8: params.self: param 'self' is declared here: a param cannot use itself"),
        problems.stream().map(SpecProblem::render).toList());
  }

  @Test
  void controlCharactersInMessagesAreShownEscaped() {
    SpecProblem problem = new SpecProblem(new Mark("f.yaml", 1, 1), "a\u0000b", "x", "the string 'l1\nl2\u001b[31m\u202e'");
    assertEquals("f.yaml:1:1: stage 'a\\u0000b': x: the string 'l1\\nl2\\u001B[31m\\u202E'", problem.render());
  }

  @Test
  void aParamInAFlowMappingKeepsItsType() throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, YamlValue> params = ParamResolver.params(YamlReader.parse(DECLARED, "p.yaml"), Map.of("fps", "0.5"),
        problems);
    YamlValue stage = YamlReader.parse("sampling: {mode: fps, fps: ${params.fps}, ids: [${params.ids}]}\n", "s.yaml");
    assertEquals(Map.of("sampling", Map.of("mode", "fps", "fps", 0.5, "ids", List.of(List.of("a")))),
        ParamResolver.substitute(stage, params, "st", "", problems).toPlain());
    assertEquals(List.of(), problems);
  }
}
