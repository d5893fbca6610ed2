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
    params(Map.of("flag", "yes", "ids", "a"), problems);
    assertEquals(2, problems.size());
    assertTrue(problems.stream().allMatch(p -> p.render().contains("expected a value of the same kind")));
  }
}
