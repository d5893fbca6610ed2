package io.reelset.plan;

import io.reelset.spec.ResourceSpec;
import io.reelset.spec.RetrySpec;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders a {@link Plan} as text for people, as Graphviz DOT, or as a Mermaid flowchart. */
public final class PlanRenderer {
  /** The formats {@link #render} knows. */
  public enum Format {
    TEXT, DOT, MERMAID;

    public static Format parse(String name) {
      return valueOf(name.toUpperCase(Locale.ROOT));
    }
  }

  private PlanRenderer() {}

  public static String render(Plan plan, Format format) {
    return switch (format) {
      case TEXT -> text(plan);
      case DOT -> dot(plan);
      case MERMAID -> mermaid(plan);
    };
  }

  static String text(Plan plan) {
    StringBuilder out = new StringBuilder();
    out.append("pipeline ").append(plan.name()).append(": ").append(plan.order().size())
        .append(plan.order().size() == 1 ? " stage" : " stages").append(" in ")
        .append(plan.groups().size()).append(plan.groups().size() == 1 ? " step" : " steps")
        .append(" (stages in one step can run side by side)\n");
    for (int step = 0; step < plan.groups().size(); step++) {
      out.append("step ").append(step + 1).append('\n');
      for (StageSpec stage : plan.groups().get(step)) {
        out.append("  ").append(stage.id()).append(" (").append(stage.type()).append(')');
        if (!stage.dependsOn().isEmpty()) {
          out.append(" <- ").append(String.join(", ", stage.dependsOn()));
        }
        out.append('\n');
        String outputDir = stage.config().getString(StageTypeInfo.OUTPUT_DIR);
        if (outputDir != null) {
          out.append("      output_dir: ").append(outputDir).append('\n');
        }
        List<String> config = new ArrayList<>();
        stage.config().asMap().forEach((k, v) -> {
          if (!k.equals(StageTypeInfo.OUTPUT_DIR)) {
            config.add(k + "=" + flow(v));
          }
        });
        if (!config.isEmpty()) {
          out.append("      config: ").append(String.join(", ", config)).append('\n');
        }
        if (!stage.resources().isEmpty()) {
          out.append("      resources: ").append(resources(stage.resources())).append('\n');
        }
        if (!stage.retry().equals(RetrySpec.DEFAULT)) {
          out.append("      retry: attempts=").append(stage.retry().attempts())
              .append(", backoff=").append(stage.retry().backoffText()).append('\n');
        }
        if (stage.maxFailureRatio() != null) {
          out.append("      max_failure_ratio: ").append(stage.maxFailureRatio()).append('\n');
        }
      }
    }
    return out.toString();
  }

  static String resources(ResourceSpec resources) {
    List<String> parts = new ArrayList<>();
    if (resources.minRamBytes() != null) {
      parts.add("min_ram=" + size(resources.minRamBytes()));
    }
    if (resources.accelerator() != null) {
      parts.add("accelerator=" + resources.accelerator());
    }
    if (resources.cpuCount() != null) {
      parts.add("cpu_count=" + resources.cpuCount());
    }
    return String.join(", ", parts);
  }

  /** A byte count in the largest binary unit that divides it: {@code 4GiB}, {@code 1536MiB}. */
  static String size(long bytes) {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << (10 * (4 - i));
      if (bytes % unit == 0) {
        return bytes / unit + units[i];
      }
    }
    return bytes + "B";
  }

  private static String flow(Object value) {
    if (value instanceof String text) {
      return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
    if (value instanceof List<?> list) {
      return list.stream().map(PlanRenderer::flow).collect(Collectors.joining(", ", "[", "]"));
    }
    if (value instanceof Map<?, ?> map) {
      return map.entrySet().stream().map(e -> e.getKey() + ": " + flow(e.getValue()))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(value);
  }

  static String dot(Plan plan) {
    StringBuilder out = new StringBuilder("digraph ").append(quote(plan.name())).append(" {\n");
    out.append("  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    for (StageSpec stage : plan.order()) {
      out.append("  ").append(quote(stage.id())).append(" [label=")
          .append(quote(stage.id() + "\\n" + stage.type())).append("];\n");
    }
    for (StageSpec stage : plan.order()) {
      for (String dep : stage.dependsOn()) {
        out.append("  ").append(quote(dep)).append(" -> ").append(quote(stage.id())).append(";\n");
      }
    }
    for (List<StageSpec> group : plan.groups()) {
      if (group.size() > 1) {
        out.append("  { rank=same; ").append(group.stream().map(s -> quote(s.id()))
            .collect(Collectors.joining("; "))).append("; }\n");
      }
    }
    return out.append("}\n").toString();
  }

  private static String quote(String text) {
    return '"' + text.replace("\"", "\\\"") + '"';
  }

  static String mermaid(Plan plan) {
    StringBuilder out = new StringBuilder("flowchart LR\n");
    Map<String, String> ids = new java.util.HashMap<>();
    for (int i = 0; i < plan.order().size(); i++) {
      StageSpec stage = plan.order().get(i);
      ids.put(stage.id(), "s" + i);
      out.append("  s").append(i).append("[\"").append(stage.id()).append("<br/>")
          .append(stage.type()).append("\"]\n");
    }
    for (StageSpec stage : plan.order()) {
      for (String dep : stage.dependsOn()) {
        out.append("  ").append(ids.get(dep)).append(" --> ").append(ids.get(stage.id())).append('\n');
      }
    }
    return out.toString();
  }
}
