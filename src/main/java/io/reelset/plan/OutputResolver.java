package io.reelset.plan;

import io.reelset.spec.SpecException;
import io.reelset.spec.SpecLoader;
import io.reelset.spec.SpecProblem;
import io.reelset.spec.StageCatalog;
import io.reelset.spec.StageConfig;
import io.reelset.spec.StageSpec;
import io.reelset.spec.StageTypeInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Fixes every stage's {@code output_dir} under a run directory and replaces each
 * {@code {stage_id.output}} in config strings with its value.
 *
 * <p>A stage without {@code output_dir} gets {@code <run>/<stage id>}; a relative one is taken
 * under the run directory; {@code ..} segments are folded. Declared outputs other than
 * {@code output_dir} are paths below it.
 */
public final class OutputResolver {
  /** What the plan command shows in place of a run directory that does not exist yet. */
  public static final String RUN_PLACEHOLDER = "<run>";

  private final Plan plan;
  private final StageCatalog catalog;
  private final String runDir;
  private final Map<String, String> outputDirs = new LinkedHashMap<>();
  private final Set<String> resolving = new LinkedHashSet<>();
  private final List<SpecProblem> problems = new ArrayList<>();

  private OutputResolver(Plan plan, StageCatalog catalog, String runDir) {
    this.plan = plan;
    this.catalog = catalog;
    this.runDir = runDir;
  }

  public static Plan resolve(Plan plan, StageCatalog catalog, String runDir) throws SpecException {
    OutputResolver resolver = new OutputResolver(plan, catalog, runDir);
    List<StageSpec> resolved = new ArrayList<>();
    for (StageSpec stage : plan.spec().stages()) {
      String outputDir = resolver.outputDir(stage);
      @SuppressWarnings("unchecked")
      Map<String, Object> values = (Map<String, Object>) resolver.substitute(stage.config().asMap(), stage);
      values.put(StageTypeInfo.OUTPUT_DIR, outputDir);
      resolved.add(stage.withConfig(new StageConfig(values)));
    }
    if (!resolver.problems.isEmpty()) {
      throw new SpecException(resolver.problems);
    }
    return plan.withStages(resolved);
  }

  private String outputDir(StageSpec stage) {
    String known = outputDirs.get(stage.id());
    if (known != null) {
      return known;
    }
    if (!resolving.add(stage.id())) {
      problems.add(new SpecProblem(stage.mark(), stage.id(), "config.output_dir",
          "output_dir refers back to itself through " + String.join(" -> ", resolving)));
      return RUN_PLACEHOLDER;
    }
    String given = stage.config().getString(StageTypeInfo.OUTPUT_DIR);
    String dir = given == null
        ? join(runDir, stage.id())
        : isAbsolute(given) ? normalize(substituteText(given, stage)) : join(runDir, substituteText(given, stage));
    resolving.remove(stage.id());
    outputDirs.put(stage.id(), dir);
    return dir;
  }

  private Object substitute(Object value, StageSpec owner) {
    if (value instanceof String text) {
      return substituteText(text, owner);
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> substitute(v, owner)).toList();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put((String) k, substitute(v, owner)));
      return out;
    }
    return value;
  }

  private String substituteText(String text, StageSpec owner) {
    Matcher m = SpecLoader.OUTPUT_REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      StageSpec target = plan.stage(m.group(1));
      String base = outputDir(target);
      String name = m.group(2);
      String value = name.equals(StageTypeInfo.OUTPUT_DIR)
          ? base
          : join(base, catalog.find(target.type()).map(i -> i.outputs().get(name)).orElse(name));
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    String result = out.toString();
    return result.equals(text) ? text : isAbsolute(result) ? normalize(result) : result;
  }

  static boolean isAbsolute(String path) {
    return path.startsWith("/") || path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*") || path.startsWith("<");
  }

  static String join(String base, String relative) {
    if (isAbsolute(relative)) {
      return normalize(relative);
    }
    return normalize(base.endsWith("/") ? base + relative : base + "/" + relative);
  }

  /** Folds {@code .} and {@code ..} segments of a path or URI without touching the disk. */
  static String normalize(String path) {
    int schemeEnd = path.indexOf("://");
    String prefix = schemeEnd > 0 ? path.substring(0, schemeEnd + 3) : "";
    String rest = path.substring(prefix.length());
    boolean absolute = rest.startsWith("/");
    List<String> parts = new ArrayList<>();
    for (String part : rest.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..") && !parts.isEmpty() && !parts.get(parts.size() - 1).equals("..")) {
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return prefix + (absolute ? "/" : "") + String.join("/", parts);
  }
}
