package io.reelset.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.compile.StageRegistry;
import io.reelset.spec.SpecException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files: every {@code specs/valid/X.yaml} gives the plan in {@code X.plan.txt}; every
 * {@code specs/invalid/X.yaml} gives exactly the messages in {@code X.errors.txt}. A first line
 * {@code # overrides: k=v k2=v2} stands for {@code --param} options.
 *
 * <p>Run with {@code -Dreelset.golden.update=true} to rewrite the expected files after a
 * deliberate change, then review the diff.
 */
class GoldenSpecTest {
  private static final Path ROOT = Path.of("src/test/resources/specs");
  private static final boolean UPDATE = Boolean.getBoolean("reelset.golden.update");
  private static final StageRegistry REGISTRY = StageRegistry.discover();

  @TestFactory
  Stream<DynamicTest> validSpecsGiveTheirPlans() throws IOException {
    return specs("valid").map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
      Plan plan = PlanLoader.load(spec, spec.getFileName().toString(), overrides(spec), REGISTRY,
          OutputResolver.RUN_PLACEHOLDER);
      check(sibling(spec, ".plan.txt"), PlanRenderer.render(plan, PlanRenderer.Format.TEXT));
      for (PlanRenderer.Format format : List.of(PlanRenderer.Format.DOT, PlanRenderer.Format.MERMAID)) {
        Path golden = sibling(spec, format == PlanRenderer.Format.DOT ? ".dot" : ".mmd");
        if (Files.exists(golden) || (UPDATE && spec.getFileName().toString().equals("diamond.yaml"))) {
          check(golden, PlanRenderer.render(plan, format));
        }
      }
    }));
  }

  @TestFactory
  Stream<DynamicTest> invalidSpecsGiveTheirMessages() throws IOException {
    return specs("invalid").map(spec -> DynamicTest.dynamicTest(spec.getFileName().toString(), () -> {
      SpecException e = assertThrows(SpecException.class, () -> PlanLoader.load(spec,
          spec.getFileName().toString(), overrides(spec), REGISTRY, OutputResolver.RUN_PLACEHOLDER));
      check(sibling(spec, ".errors.txt"), String.join("\n", e.lines()) + "\n");
    }));
  }

  @Test
  void atLeastFifteenDistinctInvalidCases() throws IOException {
    assertTrue(specs("invalid").count() >= 15);
  }

  private static Stream<Path> specs(String kind) throws IOException {
    try (Stream<Path> files = Files.list(ROOT.resolve(kind))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  private static Path sibling(Path spec, String suffix) {
    String name = spec.getFileName().toString();
    return spec.resolveSibling(name.substring(0, name.length() - ".yaml".length()) + suffix);
  }

  private static Map<String, String> overrides(Path spec) throws IOException {
    Map<String, String> overrides = new LinkedHashMap<>();
    byte[] bytes = Files.readAllBytes(spec);
    String first = new String(bytes, StandardCharsets.ISO_8859_1).lines().findFirst().orElse("");
    if (first.startsWith("# overrides:")) {
      for (String pair : first.substring("# overrides:".length()).trim().split("\\s+")) {
        int eq = pair.indexOf('=');
        overrides.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return overrides;
  }

  private static void check(Path golden, String actual) throws IOException {
    if (UPDATE) {
      Files.writeString(golden, actual);
      return;
    }
    assertTrue(Files.exists(golden), "missing golden file " + golden);
    assertEquals(Files.readString(golden), actual, "differs from " + golden);
  }
}
