package io.reelset.spec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML value that remembers where it was written, so every later check can point at it.
 *
 * <p>Scalars follow the YAML 1.2 core schema: only {@code true}/{@code false} are booleans (not
 * {@code yes}, {@code on}), integers become {@link Long}, other numbers {@link Double}, and quoted
 * text is always a string.
 */
public sealed interface YamlValue permits YamlValue.Scalar, YamlValue.Sequence, YamlValue.Mapping {

  Mark mark();

  /** The plain Java value: String, Long, Double, Boolean, null, List or Map. */
  Object toPlain();

  /** The name of this kind of value as a user reads it in an error message. */
  String describe();

  /** A scalar; {@code value} is String, Long, Double, Boolean or null. */
  record Scalar(Mark mark, Object value, boolean quoted) implements YamlValue {
    @Override
    public Object toPlain() {
      return value;
    }

    @Override
    public String describe() {
      return describeValue(value);
    }
  }

  /** A list. */
  record Sequence(Mark mark, List<YamlValue> items) implements YamlValue {
    public Sequence {
      items = Collections.unmodifiableList(new ArrayList<>(items));
    }

    @Override
    public Object toPlain() {
      List<Object> plain = new ArrayList<>();
      items.forEach(item -> plain.add(item.toPlain()));
      return plain;
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A mapping with string keys, in file order; {@code keyMarks} says where each key stands. */
  record Mapping(Mark mark, Map<String, YamlValue> entries, Map<String, Mark> keyMarks)
      implements YamlValue {
    public Mapping {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyMarks = Collections.unmodifiableMap(new LinkedHashMap<>(keyMarks));
    }

    public Mark keyMark(String key) {
      return keyMarks.getOrDefault(key, mark);
    }

    @Override
    public Object toPlain() {
      Map<String, Object> plain = new LinkedHashMap<>();
      entries.forEach((key, value) -> plain.put(key, value.toPlain()));
      return plain;
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** Describes a plain value for messages: {@code the integer 3}, {@code the string 'abc'}. */
  static String describeValue(Object value) {
    if (value == null) {
      return "an empty value";
    } else if (value instanceof Boolean) {
      return "the boolean " + value;
    } else if (value instanceof Long || value instanceof Integer) {
      return "the integer " + value;
    } else if (value instanceof Double) {
      return "the number " + value;
    } else if (value instanceof List) {
      return "a list";
    } else if (value instanceof Map) {
      return "a mapping";
    }
    return "the string '" + Printable.line(String.valueOf(value)) + "'";
  }
}
