package io.reelset.spec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields a stage type accepts in its {@code config} block, with types, defaults and ranges.
 *
 * <p>{@link #validate} checks a config mapping against the schema and returns the values with
 * defaults filled in; every unknown, missing, mistyped or out-of-range field becomes one problem
 * naming the field, the bad value and what is allowed.
 *
 * {@code
 * ConfigSchema schema = ConfigSchema.builder()
 *     .required("input", FieldType.STRING, "glob, directory or list file of videos")
 *     .integer("batch_size", 8, 1, 1024, "frames per inference call")
 *     .choice("device", "auto", "where inference runs", "auto", "cpu", "cuda")
 *     .build();
 * }
 */
public final class ConfigSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, ConfigField> fields;
  private final List<ConfigRule> rules;

  private ConfigSchema(Map<String, ConfigField> fields, List<ConfigRule> rules) {
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    this.rules = List.copyOf(rules);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The schema a typed config record declares with {@link Setting} on its components, its
   * {@link ConfigChecks} as the rule between fields.
   */
  public static ConfigSchema of(Class<? extends Record> type) {
    return TypedConfigs.schema(type);
  }

  /** The values of {@code type} when the user writes nothing but its required fields: its defaults. */
  public static <R extends Record> R defaults(Class<R> type, Map<String, Object> required) {
    List<SpecProblem> problems = new ArrayList<>();
    Map<String, Object> values = of(type).validate(null, "", "config", null, problems);
    values.putAll(required);
    return TypedConfigs.bind(values, type);
  }

  public static ConfigSchema empty() {
    return new ConfigSchema(Map.of(), List.of());
  }

  public Map<String, ConfigField> fields() {
    return fields;
  }

  /** This schema with one more field; a field of the same name is replaced. */
  public ConfigSchema with(ConfigField field) {
    Map<String, ConfigField> more = new LinkedHashMap<>(fields);
    more.put(field.name(), field);
    return new ConfigSchema(more, rules);
  }

  /**
   * Checks {@code config} and returns its values with defaults applied.
   *
   * @param path the field path of {@code config} in messages, e.g. {@code config}
   * @param at where to point when a required field is missing and {@code config} is absent
   */
  public Map<String, Object> validate(
      YamlValue.Mapping config, String stageId, String path, Mark at, List<SpecProblem> problems) {
    int before = problems.size();
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, YamlValue> given = config == null ? Map.of() : config.entries();
    for (Map.Entry<String, YamlValue> entry : given.entrySet()) {
      String name = entry.getKey();
      if (!fields.containsKey(name)) {
        problems.add(
            new SpecProblem(
                config.keyMark(name),
                stageId,
                path + "." + name,
                "unknown field"
                    + Suggestions.didYouMean(name, fields.keySet())
                    + "; allowed: "
                    + allowedList()));
      }
    }
    for (ConfigField field : fields.values()) {
      String fieldPath = path + "." + field.name();
      YamlValue value = given.get(field.name());
      if (value == null || (value instanceof YamlValue.Scalar s && s.value() == null)) {
        if (field.required()) {
          problems.add(
              new SpecProblem(
                  value != null ? value.mark() : config != null ? config.mark() : at,
                  stageId,
                  fieldPath,
                  "required field is missing (" + field.summary() + ": " + field.description() + ")"));
        } else if (field.type() == FieldType.OBJECT && field.nested() != null) {
          values.put(field.name(), field.nested().validate(null, stageId, fieldPath, at, problems));
        } else if (field.defaultValue() != null || field.type() == FieldType.LIST) {
          values.put(field.name(), field.defaultValue() != null ? field.defaultValue() : List.of());
        }
        continue;
      }
      Object checked =
          check(field, field.type(), field.nested(), value, stageId, fieldPath, problems);
      if (checked != null) {
        values.put(field.name(), checked);
      }
    }
    if (problems.size() == before) {
      // combinations are judged only once every field is right on its own
      ConfigRule.Checked checked = new ConfigRule.Checked(new StageConfig(values), config, stageId, path, at, problems);
      rules.forEach(rule -> rule.check(checked));
    }
    return values;
  }

  private String allowedList() {
    return String.join(", ", fields.keySet().stream().sorted().toList());
  }

  private static Object check(
      ConfigField field,
      FieldType type,
      ConfigSchema nested,
      YamlValue value,
      String stageId,
      String path,
      List<SpecProblem> problems) {
    Object plain = value.toPlain();
    String wrongType =
        "expected " + type.withArticle() + ", got " + value.describe();
    switch (type) {
      case ANY:
        return plain;
      case STRING:
        if (value instanceof YamlValue.Scalar s && s.value() != null && !(s.value() instanceof Boolean)) {
          return String.valueOf(s.value());
        }
        break;
      case BOOLEAN:
        if (plain instanceof Boolean) {
          return plain;
        }
        break;
      case INTEGER:
        if (plain instanceof Long number) {
          return inRange(field, number, value, stageId, path, problems) ? number : null;
        }
        if (plain instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
          return inRange(field, d, value, stageId, path, problems) ? (Object) d.longValue() : null;
        }
        break;
      case NUMBER:
        if (plain instanceof Number number && !Double.isNaN(number.doubleValue())) {
          double d = number.doubleValue();
          return inRange(field, d, value, stageId, path, problems) ? (Object) d : null;
        }
        break;
      case CHOICE:
        if (plain instanceof String word) {
          if (field.choices().contains(word)) {
            return word;
          }
          problems.add(
              new SpecProblem(
                  value.mark(),
                  stageId,
                  path,
                  "'"
                      + word
                      + "' is not allowed"
                      + Suggestions.didYouMean(word, field.choices())
                      + "; allowed: "
                      + String.join(", ", field.choices())));
          return null;
        }
        wrongType = "expected one of " + String.join(", ", field.choices()) + ", got " + value.describe();
        break;
      case LIST:
        if (value instanceof YamlValue.Sequence sequence) {
          if (field.min() != null && sequence.items().size() < field.min()) {
            problems.add(new SpecProblem(value.mark(), stageId, path, "needs at least "
                + ConfigField.number(field.min()) + (field.min() == 1 ? " item" : " items")
                + ", got " + sequence.items().size()));
            return null;
          }
          List<Object> items = new ArrayList<>();
          FieldType element = field.elementType() == null ? FieldType.ANY : field.elementType();
          for (int i = 0; i < sequence.items().size(); i++) {
            Object item =
                check(field, element, nested, sequence.items().get(i), stageId, path + "[" + i + "]", problems);
            items.add(item);
          }
          return Collections.unmodifiableList(items);
        }
        break;
      case OBJECT:
        if (value instanceof YamlValue.Mapping mapping) {
          return nested == null
              ? plain
              : nested.validate(mapping, stageId, path, mapping.mark(), problems);
        }
        break;
      default:
        throw new IllegalStateException("unhandled field type " + type);
    }
    problems.add(new SpecProblem(value.mark(), stageId, path, wrongType));
    return null;
  }

  private static boolean inRange(
      ConfigField field, double number, YamlValue value, String stageId, String path,
      List<SpecProblem> problems) {
    if ((field.min() != null && number < field.min()) || (field.max() != null && number > field.max())) {
      problems.add(
          new SpecProblem(
              value.mark(),
              stageId,
              path,
              ConfigField.number(number) + " is out of range; allowed: " + field.rangeText()));
      return false;
    }
    return true;
  }

  /** Builds a schema; fields keep the order they were added in. */
  public static final class Builder {
    private final Map<String, ConfigField> fields = new LinkedHashMap<>();
    private final List<ConfigRule> rules = new java.util.ArrayList<>();

    /** A rule about a combination of fields, checked once each field passed its own checks. */
    public Builder rule(ConfigRule rule) {
      rules.add(rule);
      return this;
    }

    private Builder add(ConfigField field) {
      if (fields.put(field.name(), field) != null) {
        throw new IllegalArgumentException("field '" + field.name() + "' is declared twice");
      }
      return this;
    }

    public Builder required(String name, FieldType type, String description) {
      return add(new ConfigField(name, type, true, null, description, null, null, null, null, null));
    }

    public Builder optional(String name, FieldType type, Object defaultValue, String description) {
      return add(new ConfigField(name, type, false, defaultValue, description, null, null, null, null, null));
    }

    public Builder integer(String name, long defaultValue, long min, long max, String description) {
      return add(new ConfigField(name, FieldType.INTEGER, false, defaultValue, description, null, null, null,
          (double) min, (double) max));
    }

    public Builder number(String name, double defaultValue, double min, double max, String description) {
      return add(new ConfigField(name, FieldType.NUMBER, false, defaultValue, description, null, null, null,
          min, max));
    }

    public Builder choice(String name, String defaultValue, String description, String... choices) {
      return add(new ConfigField(name, FieldType.CHOICE, false, defaultValue, description, null, null,
          Arrays.asList(choices), null, null));
    }

    public Builder list(String name, FieldType elementType, String description) {
      return add(new ConfigField(name, FieldType.LIST, false, null, description, elementType, null, null, null, null));
    }

    public Builder object(String name, ConfigSchema nested, String description) {
      return add(new ConfigField(name, FieldType.OBJECT, false, null, description, null, nested, null, null, null));
    }

    public Builder field(ConfigField field) {
      return add(field);
    }

    public ConfigSchema build() {
      return new ConfigSchema(fields, rules);
    }
  }
}
