package io.reelset.spec;

import java.util.List;

/**
 * One field of a stage's config schema.
 *
 * @param elementType for {@link FieldType#LIST}, the type of each item
 * @param nested for {@link FieldType#OBJECT}, the schema of the mapping (or of each list item)
 * @param choices for {@link FieldType#CHOICE}, the words allowed
 * @param min smallest allowed number, or null
 * @param max largest allowed number, or null
 */
public record ConfigField(
    String name,
    FieldType type,
    boolean required,
    Object defaultValue,
    String description,
    FieldType elementType,
    ConfigSchema nested,
    List<String> choices,
    Double min,
    Double max) {

  public ConfigField {
    choices = choices == null ? List.of() : List.copyOf(choices);
  }

  /** A short text for listings: {@code an integer, 1 to 100, default 8}. */
  public String summary() {
    StringBuilder text = new StringBuilder(type.withArticle());
    if (type == FieldType.CHOICE) {
      text = new StringBuilder("one of ").append(String.join(", ", choices));
    }
    if (type == FieldType.LIST && elementType != null) {
      text.append(" of ").append(elementType == FieldType.OBJECT ? "mappings" : plural(elementType));
    }
    if (type == FieldType.LIST && min != null) {
      text.append(", at least ").append(number(min));
    } else if (min != null || max != null) {
      text.append(", ").append(rangeText());
    }
    if (required) {
      text.append(", required");
    } else if (defaultValue != null) {
      text.append(", default ").append(defaultValue);
    }
    return text.toString();
  }

  String rangeText() {
    if (min != null && max != null) {
      return "from " + number(min) + " to " + number(max);
    }
    return min != null ? "at least " + number(min) : "at most " + number(max);
  }

  static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value)
        : Double.toString(value);
  }

  private static String plural(FieldType type) {
    return switch (type) {
      case STRING -> "strings";
      case INTEGER -> "integers";
      case NUMBER -> "numbers";
      case BOOLEAN -> "booleans";
      default -> "values";
    };
  }
}
