package io.reelset.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Substitutes {@code ${params.NAME}} in a pipeline's stages with the declared params, after
 * applying {@code --param NAME=VALUE} overrides.
 *
 * <p>A value that is exactly one reference takes the param's type (a number stays a number, a
 * list stays a list); a reference inside longer text is spliced in as text. {@code $${} writes a
 * literal {@code ${}. An unknown param, an unknown override, or an override whose type does not
 * match the declared value is a problem.
 */
public final class ParamResolver {
  static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern REFERENCE = Pattern.compile("\\$?\\$\\{([^}]*)}");
  private static final Pattern PARAM = Pattern.compile("params\\.(" + NAME.pattern() + ")");

  private final Map<String, YamlValue> params;
  /** Every declared param: one not yet in {@code params} is declared later (while params are resolved). */
  private final java.util.Set<String> declared;
  private final List<SpecProblem> problems;

  private ParamResolver(Map<String, YamlValue> params, java.util.Set<String> declared, List<SpecProblem> problems) {
    this.params = params;
    this.declared = declared;
    this.problems = problems;
  }

  /**
   * Returns the params, declared in {@code declared} (may be null) and overridden by {@code
   * overrides}, as YAML values; problems are added to {@code problems}.
   */
  public static Map<String, YamlValue> params(
      YamlValue declared, Map<String, String> overrides, List<SpecProblem> problems) {
    Map<String, YamlValue> params = new LinkedHashMap<>();
    if (declared instanceof YamlValue.Mapping mapping) {
      mapping.entries().forEach((name, value) -> {
        if (!NAME.matcher(name).matches()) {
          problems.add(new SpecProblem(mapping.keyMark(name), null, "params." + name,
              "a param name is letters, digits and '_', not starting with a digit"));
        }
        params.put(name, value);
      });
    } else if (declared != null && !(declared instanceof YamlValue.Scalar s && s.value() == null)) {
      problems.add(new SpecProblem(declared.mark(), null, "params",
          "expected a mapping of param names to values, got " + declared.describe()));
    }
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      String name = override.getKey();
      String origin = "--param " + name + "=" + override.getValue();
      YamlValue current = params.get(name);
      if (current == null) {
        problems.add(SpecProblem.at(Mark.ofFile(origin), "unknown param '" + name + "'"
            + Suggestions.didYouMean(name, params.keySet()) + "; declared: "
            + (params.isEmpty() ? "none" : String.join(", ", params.keySet()))));
        continue;
      }
      YamlValue typed = typed(current, override.getValue(), origin, problems);
      if (typed != null) {
        params.put(name, typed);
      }
    }
    return resolveWithin(params, problems);
  }

  /**
   * Substitutes the references of params to params: a param may use those declared before it
   * ({@code clips: "${params.root}/clips"}), in file order, so no cycle can form.
   */
  private static Map<String, YamlValue> resolveWithin(Map<String, YamlValue> params, List<SpecProblem> problems) {
    Map<String, YamlValue> resolved = new LinkedHashMap<>();
    ParamResolver within = new ParamResolver(resolved, params.keySet(), problems);
    params.forEach((name, value) -> resolved.put(name, within.walk(value, null, "params." + name)));
    return resolved;
  }

  /**
   * An override's text typed by the declared param: a string param takes the text as written
   * ({@code #}, {@code *}, {@code ~}, {@code 007} and all); a number param a number (an integer
   * default accepts a decimal: a number is a number); a boolean {@code true} or {@code false}; a
   * list, a mapping or an untyped ({@code ~}) param is read as YAML. Null (and a problem) when
   * the text is not of that kind.
   */
  private static YamlValue typed(YamlValue declared, String text, String origin, List<SpecProblem> problems) {
    Object want = declared.toPlain();
    Mark mark = declared.mark();
    if (want instanceof String) {
      return new YamlValue.Scalar(mark, text, true);
    }
    if (want instanceof Long || want instanceof Double || want instanceof Boolean) {
      Object got = YamlReader.resolvePlain(text.strip());
      if ((want instanceof Boolean) == (got instanceof Boolean) && (got instanceof Long || got instanceof Double
          || got instanceof Boolean)) {
        return new YamlValue.Scalar(mark, want instanceof Double && got instanceof Long l ? l.doubleValue() : got, false);
      }
      problems.add(SpecProblem.at(Mark.ofFile(origin), "expected " + (want instanceof Boolean ? "true or false"
          : "a number") + " like the declared default (" + declared.describe() + "), got '" + text + "'"));
      return null;
    }
    YamlValue given;
    try {
      given = text.isEmpty() ? new YamlValue.Scalar(Mark.ofFile(origin), "", true) : YamlReader.parse(text, origin);
    } catch (SpecException e) {
      problems.addAll(e.problems());
      return null;
    }
    return retype(declared, given, origin, problems);
  }

  /** A YAML override of a list, mapping or untyped param, or null (and a problem) if of another kind. */
  private static YamlValue retype(
      YamlValue declared, YamlValue given, String origin, List<SpecProblem> problems) {
    Object want = declared.toPlain();
    Object got = given.toPlain();
    Mark mark = declared.mark();
    boolean sameKind = want == null
        || (want instanceof List && got instanceof List)
        || (want instanceof Map && got instanceof Map);
    if (!sameKind) {
      problems.add(SpecProblem.at(Mark.ofFile(origin), "expected a value of the same kind as the declared default ("
          + declared.describe() + "), got " + given.describe()));
      return null;
    }
    return rebase(given, mark);
  }

  /** Returns {@code value} with every mark moved to {@code mark}, the param's declaration. */
  private static YamlValue rebase(YamlValue value, Mark mark) {
    if (value instanceof YamlValue.Scalar s) {
      return new YamlValue.Scalar(mark, s.value(), s.quoted());
    }
    if (value instanceof YamlValue.Sequence seq) {
      return new YamlValue.Sequence(mark, seq.items().stream().map(v -> rebase(v, mark)).toList());
    }
    YamlValue.Mapping map = (YamlValue.Mapping) value;
    Map<String, YamlValue> entries = new LinkedHashMap<>();
    Map<String, Mark> marks = new LinkedHashMap<>();
    map.entries().forEach((k, v) -> {
      entries.put(k, rebase(v, mark));
      marks.put(k, mark);
    });
    return new YamlValue.Mapping(mark, entries, marks);
  }

  /**
   * Substitutes references inside {@code value}; {@code stageId} and {@code field} name the place
   * in messages.
   */
  public static YamlValue substitute(
      YamlValue value, Map<String, YamlValue> params, String stageId, String field,
      List<SpecProblem> problems) {
    return new ParamResolver(params, params.keySet(), problems).walk(value, stageId, field);
  }

  private YamlValue walk(YamlValue value, String stageId, String field) {
    if (value instanceof YamlValue.Sequence seq) {
      List<YamlValue> items = new ArrayList<>();
      for (int i = 0; i < seq.items().size(); i++) {
        items.add(walk(seq.items().get(i), stageId, field + "[" + i + "]"));
      }
      return new YamlValue.Sequence(seq.mark(), items);
    }
    if (value instanceof YamlValue.Mapping map) {
      Map<String, YamlValue> entries = new LinkedHashMap<>();
      map.entries().forEach((k, v) -> entries.put(k, walk(v, stageId, field.isEmpty() ? k : field + "." + k)));
      return new YamlValue.Mapping(map.mark(), entries, map.keyMarks());
    }
    YamlValue.Scalar scalar = (YamlValue.Scalar) value;
    if (!(scalar.value() instanceof String text) || !text.contains("${")) {
      return scalar;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      out.append(text, last, m.start());
      last = m.end();
      if (m.group().startsWith("$$")) {
        out.append(m.group().substring(1));
        continue;
      }
      Mark at = offset(scalar, m.start());
      Matcher param = PARAM.matcher(m.group(1).trim());
      if (!param.matches()) {
        problems.add(new SpecProblem(at, stageId, field, "unknown template '" + m.group()
            + "'; write ${params.NAME} to use a param"));
        continue;
      }
      String name = param.group(1);
      YamlValue replacement = params.get(name);
      if (replacement == null && declared.contains(name)) {
        problems.add(new SpecProblem(at, stageId, field, "param '" + name + "' is declared "
            + (field.equals("params." + name) ? "here: a param cannot use itself" : "after this one; a param may use"
            + " only the params declared before it")));
        continue;
      }
      if (replacement == null) {
        problems.add(new SpecProblem(at, stageId, field, "unknown param '" + name + "' in '"
            + m.group() + "'" + Suggestions.didYouMean(name, params.keySet()) + "; declared: "
            + (params.isEmpty() ? "none" : String.join(", ", params.keySet()))));
        continue;
      }
      if (m.start() == 0 && m.end() == text.length()) {
        return rebase(replacement, scalar.mark());
      }
      if (!(replacement instanceof YamlValue.Scalar s)) {
        problems.add(new SpecProblem(at, stageId, field, "param '" + name + "' is "
            + replacement.describe() + " and cannot be spliced into text"));
        continue;
      }
      Object plain = s.value();
      out.append(plain == null ? "" : plain instanceof Double d ? ConfigField.number(d) : plain);
    }
    out.append(text.substring(last));
    return new YamlValue.Scalar(scalar.mark(), out.toString(), true);
  }

  /** The mark of a character inside a one-line scalar. */
  private static Mark offset(YamlValue.Scalar scalar, int index) {
    String text = (String) scalar.value();
    if (text.indexOf('\n') >= 0 || scalar.mark().line() == 0) {
      return scalar.mark();
    }
    Mark m = scalar.mark();
    return new Mark(m.file(), m.line(), m.column() + index + (scalar.quoted() ? 1 : 0));
  }
}
