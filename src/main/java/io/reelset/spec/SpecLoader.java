package io.reelset.spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a pipeline file into a validated {@link PipelineSpec}: reads the YAML, applies params,
 * and checks every field of every stage against its type's schema.
 *
 * <p>All problems are collected and thrown together in one {@link SpecException}, in file order.
 * Dependencies between stages (missing, cyclic, of the wrong kind) are the planner's to check.
 */
public final class SpecLoader {
  static final List<String> TOP_LEVEL = List.of("description", "name", "params", "stages");
  static final List<String> STAGE_FIELDS =
      List.of("config", "depends_on", "id", "max_failure_ratio", "resources", "retry", "type");
  static final Pattern STAGE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
  /** {@code {stage_id.output}}: a stage output used inside a config string. */
  public static final Pattern OUTPUT_REFERENCE =
      Pattern.compile("\\{([A-Za-z][A-Za-z0-9_-]*)\\.([A-Za-z_][A-Za-z0-9_]*)}");

  private final StageCatalog catalog;
  private final String file;
  private final List<SpecProblem> problems = new ArrayList<>();

  private SpecLoader(StageCatalog catalog, String file) {
    this.catalog = catalog;
    this.file = file;
  }

  /** Loads {@code path}, naming it {@code displayName} in messages. */
  public static PipelineSpec load(
      Path path, String displayName, Map<String, String> overrides, StageCatalog catalog)
      throws SpecException {
    return fromYaml(YamlReader.read(path, displayName), displayName, overrides, catalog);
  }

  public static PipelineSpec fromYaml(
      YamlValue root, String file, Map<String, String> overrides, StageCatalog catalog)
      throws SpecException {
    List<SpecProblem> problems = new ArrayList<>();
    PipelineSpec spec = parse(root, file, overrides, catalog, problems);
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return spec;
  }

  /**
   * Parses as much of {@code root} as is valid, adding every problem to {@code problems}, so that
   * the planner can report dependency problems in the same pass. Stages without a valid id are
   * left out; returns null only when the top level is not a mapping.
   */
  public static PipelineSpec parse(YamlValue root, String file, Map<String, String> overrides,
      StageCatalog catalog, List<SpecProblem> problems) {
    SpecLoader loader = new SpecLoader(catalog, file);
    PipelineSpec spec = loader.pipeline(root, overrides);
    problems.addAll(loader.problems);
    return spec;
  }

  private PipelineSpec pipeline(YamlValue root, Map<String, String> overrides) {
    if (!(root instanceof YamlValue.Mapping top)) {
      problems.add(SpecProblem.at(root.mark(),
          "the top level must be a mapping with 'name', 'params' and 'stages', not " + root.describe()));
      return null;
    }
    for (String key : top.entries().keySet()) {
      if (!TOP_LEVEL.contains(key)) {
        problems.add(SpecProblem.at(top.keyMark(key), "unknown top-level key '" + key + "'"
            + Suggestions.didYouMean(key, TOP_LEVEL) + "; allowed: " + String.join(", ", TOP_LEVEL)));
      }
    }
    String name = text(top, "name", null, "name", true);
    String description = text(top, "description", null, "description", false);
    if (name != null && name.isBlank()) {
      problems.add(new SpecProblem(top.entries().get("name").mark(), null, "name", "must not be blank"));
    }
    Map<String, YamlValue> params = ParamResolver.params(top.entries().get("params"), overrides, problems);
    Map<String, Object> plainParams = new LinkedHashMap<>();
    params.forEach((k, v) -> plainParams.put(k, v.toPlain()));

    YamlValue stagesValue = top.entries().get("stages");
    List<StageSpec> stages = new ArrayList<>();
    if (stagesValue == null) {
      problems.add(SpecProblem.at(top.mark(), "stages: required key is missing; list the pipeline's stages"));
    } else if (!(stagesValue instanceof YamlValue.Sequence list) || list.items().isEmpty()) {
      problems.add(new SpecProblem(stagesValue.mark(), null, "stages",
          "expected a non-empty list of stages, got " + stagesValue.describe()));
    } else {
      Map<String, Mark> seen = new LinkedHashMap<>();
      List<OwnedConfig> configs = new ArrayList<>();
      for (int i = 0; i < list.items().size(); i++) {
        int before = problems.size();
        StageSpec stage = stage(list.items().get(i), i, params, seen, configs);
        if (stage != null) {
          stages.add(stage);
        } else {
          placeUnderStage(before, "stages[" + i + "]");
        }
      }
      checkOutputReferences(stages, configs);
    }
    return new PipelineSpec(file, name, description, plainParams, stages);
  }

  /** Names the stage by its place in the list in problems found for a stage without a valid id. */
  private void placeUnderStage(int from, String where) {
    for (int i = from; i < problems.size(); i++) {
      SpecProblem p = problems.get(i);
      if (p.stageId() == null && p.field() != null && !p.field().startsWith("stages[")) {
        problems.set(i, new SpecProblem(p.mark(), null, where + "." + p.field(), p.message()));
      }
    }
  }

  private StageSpec stage(YamlValue value, int index, Map<String, YamlValue> params,
      Map<String, Mark> seen, List<OwnedConfig> configs) {
    String where = "stages[" + index + "]";
    if (!(value instanceof YamlValue.Mapping raw)) {
      problems.add(new SpecProblem(value.mark(), null, where,
          "expected a mapping with id, type and config, got " + value.describe()));
      return null;
    }
    String id = text(raw, "id", null, where + ".id", true);
    if (id != null && !STAGE_ID.matcher(id).matches()) {
      problems.add(new SpecProblem(raw.entries().get("id").mark(), null, where + ".id",
          "'" + id + "' is not a valid stage id; use letters, digits, '_' and '-', starting with a"
              + " letter, at most 64 characters"));
      id = null;
    } else if (id != null && seen.containsKey(id)) {
      Mark first = seen.get(id);
      problems.add(new SpecProblem(raw.entries().get("id").mark(), id, "id",
          "duplicate stage id (first at line " + first.line() + ", column " + first.column() + ")"));
    } else if (id != null) {
      seen.put(id, raw.entries().get("id").mark());
    }
    YamlValue.Mapping stage =
        (YamlValue.Mapping) ParamResolver.substitute(raw, params, id, "", problems);
    for (String key : stage.entries().keySet()) {
      if (!STAGE_FIELDS.contains(key)) {
        problems.add(new SpecProblem(stage.keyMark(key), id, key, "unknown stage field"
            + Suggestions.didYouMean(key, STAGE_FIELDS) + "; allowed: " + String.join(", ", STAGE_FIELDS)));
      }
    }
    String type = text(stage, "type", id, "type", true);
    Optional<StageTypeInfo> info = Optional.empty();
    if (type != null) {
      info = catalog.find(type);
      if (info.isEmpty()) {
        problems.add(new SpecProblem(stage.entries().get("type").mark(), id, "type",
            "unknown stage type '" + type + "'" + Suggestions.didYouMean(type, catalog.types())
                + "; known types: " + (catalog.types().isEmpty()
                ? "none (no stage provider on the classpath)" : String.join(", ", catalog.types()))));
      }
    }
    Map<String, Mark> dependencyMarks = new LinkedHashMap<>();
    List<String> dependsOn = dependencies(stage.entries().get("depends_on"), id, dependencyMarks);

    YamlValue configValue = stage.entries().get("config");
    YamlValue.Mapping config = null;
    if (configValue instanceof YamlValue.Mapping mapping) {
      config = mapping;
      configs.add(new OwnedConfig(id, mapping));
    } else if (configValue != null && !(configValue instanceof YamlValue.Scalar s && s.value() == null)) {
      problems.add(new SpecProblem(configValue.mark(), id, "config",
          "expected a mapping of config fields, got " + configValue.describe()));
    }
    Map<String, Object> values = info.isPresent()
        ? info.get().schemaWithCommonFields().validate(config, id, "config", stage.mark(), problems)
        : Map.of();

    ResourceSpec resources = stage.entries().containsKey("resources")
        ? ResourceSpec.parse(stage.entries().get("resources"), id, problems) : ResourceSpec.NONE;
    RetrySpec retry = stage.entries().containsKey("retry")
        ? RetrySpec.parse(stage.entries().get("retry"), id, problems) : RetrySpec.DEFAULT;
    Double maxFailureRatio = null;
    YamlValue ratio = stage.entries().get("max_failure_ratio");
    if (ratio != null) {
      if (ratio.toPlain() instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) {
        maxFailureRatio = n.doubleValue();
      } else {
        problems.add(new SpecProblem(ratio.mark(), id, "max_failure_ratio",
            "expected a number from 0 to 1 (the share of items that may fail), got " + ratio.describe()));
      }
    }
    if (id == null) {
      return null;
    }
    return new StageSpec(id, type, dependsOn, new StageConfig(values), resources, retry,
        maxFailureRatio, stage.mark(), dependencyMarks);
  }

  private List<String> dependencies(YamlValue value, String id, Map<String, Mark> marks) {
    List<String> dependsOn = new ArrayList<>();
    if (value == null || (value instanceof YamlValue.Scalar s && s.value() == null)) {
      return dependsOn;
    }
    List<YamlValue> items = value instanceof YamlValue.Sequence seq ? seq.items() : List.of(value);
    for (YamlValue item : items) {
      if (item instanceof YamlValue.Scalar s && s.value() instanceof String dep) {
        if (marks.containsKey(dep)) {
          problems.add(new SpecProblem(item.mark(), id, "depends_on", "lists '" + dep + "' twice"));
          continue;
        }
        dependsOn.add(dep);
        marks.put(dep, item.mark());
      } else {
        problems.add(new SpecProblem(item.mark(), id, "depends_on",
            "expected stage ids (strings), got " + item.describe()));
      }
    }
    return dependsOn;
  }

  /** Checks every {@code {stage.output}} in config strings names a stage and an output it declares. */
  private void checkOutputReferences(List<StageSpec> stages, List<OwnedConfig> configs) {
    Map<String, StageSpec> byId = new LinkedHashMap<>();
    stages.forEach(s -> byId.putIfAbsent(s.id(), s));
    for (OwnedConfig owned : configs) {
      String owner = owned.stageId();
      visitStrings(owned.config(), "config", (scalar, field) -> {
        Matcher m = OUTPUT_REFERENCE.matcher((String) scalar.value());
        while (m.find()) {
          StageSpec target = byId.get(m.group(1));
          if (target == null && m.group(1).equals("params") && !byId.containsKey("params")) {
            problems.add(new SpecProblem(scalar.mark(), owner, field, "'" + m.group() + "' is not a stage output;"
                + " write $" + m.group() + " to use a param"));
            continue;
          }
          if (target == null) {
            problems.add(new SpecProblem(scalar.mark(), owner, field, "unknown stage '" + m.group(1)
                + "' in '" + m.group() + "'" + Suggestions.didYouMean(m.group(1), byId.keySet())
                + "; stages: " + String.join(", ", byId.keySet())));
            continue;
          }
          catalog.find(target.type()).ifPresent(info -> {
            if (!info.outputNames().contains(m.group(2))) {
              problems.add(new SpecProblem(scalar.mark(), owner, field, "stage '" + target.id()
                  + "' (" + target.type() + ") has no output '" + m.group(2) + "'; it declares: "
                  + String.join(", ", info.outputNames())));
            }
          });
        }
      });
    }
  }

  private record OwnedConfig(String stageId, YamlValue.Mapping config) {}

  private static void visitStrings(YamlValue value, String field,
      java.util.function.BiConsumer<YamlValue.Scalar, String> visitor) {
    if (value instanceof YamlValue.Scalar s && s.value() instanceof String) {
      visitor.accept(s, field);
    } else if (value instanceof YamlValue.Sequence seq) {
      for (int i = 0; i < seq.items().size(); i++) {
        visitStrings(seq.items().get(i), field + "[" + i + "]", visitor);
      }
    } else if (value instanceof YamlValue.Mapping map) {
      map.entries().forEach((k, v) -> visitStrings(v, field + "." + k, visitor));
    }
  }

  private String text(YamlValue.Mapping map, String key, String stageId, String field, boolean required) {
    YamlValue value = map.entries().get(key);
    if (value == null || (value instanceof YamlValue.Scalar s && s.value() == null)) {
      if (required) {
        problems.add(new SpecProblem(value != null ? value.mark() : map.mark(), stageId, field,
            "required field is missing"));
      }
      return null;
    }
    if (value instanceof YamlValue.Scalar s && s.value() instanceof String text) {
      return text;
    }
    problems.add(new SpecProblem(value.mark(), stageId, field, "expected a string, got " + value.describe()));
    return null;
  }
}
