package io.reelset.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Writes a pipeline spec back as YAML, with params substituted, defaults filled in and outputs
 * resolved: the {@code spec.resolved.yaml} of a run, which loads again to the same plan.
 */
public final class SpecWriter {
  private SpecWriter() {}

  public static String toYaml(PipelineSpec spec) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("name", spec.name());
    if (spec.description() != null) {
      root.put("description", spec.description());
    }
    if (!spec.params().isEmpty()) {
      root.put("params", spec.params());
    }
    root.put("stages", spec.stages().stream().map(SpecWriter::stage).toList());
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    options.setIndicatorIndent(2);
    options.setIndentWithIndicator(true);
    options.setWidth(120);
    return new Yaml(options).dump(root);
  }

  private static Map<String, Object> stage(StageSpec stage) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", stage.id());
    out.put("type", stage.type());
    if (!stage.dependsOn().isEmpty()) {
      out.put("depends_on", List.copyOf(stage.dependsOn()));
    }
    ResourceSpec resources = stage.resources();
    if (!resources.isEmpty()) {
      Map<String, Object> hints = new LinkedHashMap<>();
      if (resources.minRamBytes() != null) {
        hints.put("min_ram", resources.minRamBytes());
      }
      if (resources.accelerator() != null) {
        hints.put("accelerator", resources.accelerator());
      }
      if (resources.cpuCount() != null) {
        hints.put("cpu_count", resources.cpuCount());
      }
      out.put("resources", hints);
    }
    if (!stage.retry().equals(RetrySpec.DEFAULT)) {
      Map<String, Object> retry = new LinkedHashMap<>();
      retry.put("attempts", stage.retry().attempts());
      retry.put("backoff", stage.retry().backoffText());
      out.put("retry", retry);
    }
    if (stage.maxFailureRatio() != null) {
      out.put("max_failure_ratio", stage.maxFailureRatio());
    }
    out.put("config", escape(stage.config().asMap()));
    return out;
  }

  /** Writes a literal {@code ${} as {@code $${} so that loading the file again keeps it literal. */
  private static Object escape(Object value) {
    if (value instanceof String text) {
      return text.replace("${", "$${");
    }
    if (value instanceof List<?> list) {
      return list.stream().map(SpecWriter::escape).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, escape(v)));
      return out;
    }
    return value;
  }
}
