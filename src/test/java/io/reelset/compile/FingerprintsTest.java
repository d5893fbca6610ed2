package io.reelset.compile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.reelset.plan.Plan;
import io.reelset.plan.PlanLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import io.reelset.testing.TestMapProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stage's fingerprint follows its config, its files and its upstream, and nothing else. */
class FingerprintsTest {
  @TempDir Path dir;
  private final StageRegistry registry = StageRegistry.discover();

  private Map<String, String> fingerprints(String yaml) throws Exception {
    Path file = Files.writeString(dir.resolve("p.yaml"), yaml);
    Plan plan = PlanLoader.load(file, "p.yaml", Map.of(), registry, dir.resolve("run").toString());
    return Fingerprints.of(plan, registry);
  }

  private static String chain(String suffix, String resources) {
    return """
        name: chain
        stages:
          - id: src
            type: test_source
            config: {items: [a, b]}
          - id: map
            type: test_map
            depends_on: [src]
            %s
            config: {suffix: "%s"}
          - id: join
            type: test_join
            depends_on: [map]
            config: {tag: t}
        """.formatted(resources, suffix);
  }

  @Test
  void editingAStageChangesItAndWhatDependsOnItNotWhatIsUpstream() throws Exception {
    Map<String, String> before = fingerprints(chain("!", ""));
    assertEquals(before, fingerprints(chain("!", "")), "the same pipeline, the same fingerprints");
    Map<String, String> after = fingerprints(chain("?", ""));
    assertEquals(before.get("src"), after.get("src"));
    assertNotEquals(before.get("map"), after.get("map"));
    assertNotEquals(before.get("join"), after.get("join"));
  }

  @Test
  void resourcesAndRetriesDoNotChangeWhatAStageMakes() throws Exception {
    Map<String, String> before = fingerprints(chain("!", ""));
    assertEquals(before, fingerprints(chain("!", "resources: {min_ram: 4GiB}\n    retry: {attempts: 3, backoff: 1s}")));
  }

  @Test
  void theContentOfAFileTheStageReadsIsPartOfIt() throws Exception {
    Path identities = dir.resolve("identities.yaml");
    String yaml = """
        name: files
        stages:
          - id: crops
            type: test_assignments
            config: {identities: {identity_001: 3}}
          - id: dataset
            type: training_data_prep
            depends_on: [crops]
            config: {identities: %s}
        """.formatted(identities);
    Files.writeString(identities, "identity_001: {name: Alice}\n");
    Map<String, String> alice = fingerprints(yaml);
    Files.writeString(identities, "identity_001: {name: Bob}\n");
    Map<String, String> bob = fingerprints(yaml);
    assertEquals(alice.get("crops"), bob.get("crops"));
    assertNotEquals(alice.get("dataset"), bob.get("dataset"));
    Files.writeString(identities, "identity_001: {name: Alice}\n");
    assertEquals(alice, fingerprints(yaml), "the content counts, not the file's time");
  }

  @Test
  void theVersionOfABuiltInAlgorithmIsPartOfIt() throws Exception {
    String yaml = chain("!", "");
    Path file = Files.writeString(dir.resolve("p.yaml"), yaml);
    Plan plan = PlanLoader.load(file, "p.yaml", Map.of(), registry, dir.resolve("run").toString());
    Map<String, String> before = Fingerprints.of(plan, registry);
    TestMapProvider map = new TestMapProvider();
    StageProvider<TestMapProvider.Config> newer = new StageProvider<>() {
      @Override public String type() {
        return map.type();
      }

      @Override public String description() {
        return map.description();
      }

      @Override public Class<TestMapProvider.Config> configType() {
        return map.configType();
      }

      @Override public java.util.List<String> inputKinds() {
        return map.inputKinds();
      }

      @Override public String outputKind() {
        return map.outputKind();
      }

      @Override public StageResult expand(StageInputs inputs, StageContext context, TestMapProvider.Config config) {
        return map.expand(inputs, context, config);
      }

      @Override public String fingerprintVersion(TestMapProvider.Config config) {
        return "map-v2";
      }
    };
    Map<String, String> after = Fingerprints.of(plan, StageRegistry.of(java.util.List.of(
        registry.provider("test_source"), newer, registry.provider("test_join"))));
    assertEquals(before.get("src"), after.get("src"));
    assertNotEquals(before.get("map"), after.get("map"));
    assertNotEquals(before.get("join"), after.get("join"));
  }
}
