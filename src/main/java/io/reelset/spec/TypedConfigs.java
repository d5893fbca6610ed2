package io.reelset.spec;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a typed config record ({@link Setting} on each component) as a {@link ConfigSchema}, and
 * builds the record from the values a schema validated. The one place where a stage's config
 * becomes Java values.
 */
final class TypedConfigs {
  private TypedConfigs() {}

  /** The schema a config record declares; its {@link ConfigChecks} become a rule. */
  static <R extends Record> ConfigSchema schema(Class<R> type) {
    if (!type.isRecord()) {
      throw new IllegalArgumentException(type.getName() + " is not a record: a typed config is a record");
    }
    ConfigSchema.Builder schema = ConfigSchema.builder();
    for (RecordComponent component : type.getRecordComponents()) {
      schema.field(field(type, component));
    }
    if (ConfigChecks.class.isAssignableFrom(type)) {
      schema.rule(checked -> ((ConfigChecks) bind(checked.values().asMap(), type)).check(checked));
    }
    return schema.build();
  }

  private static ConfigField field(Class<?> owner, RecordComponent component) {
    Setting setting = component.getAnnotation(Setting.class);
    if (setting == null) {
      throw new IllegalArgumentException(owner.getSimpleName() + "." + component.getName()
          + " has no @Setting: every field of a typed config says what it is");
    }
    String name = setting.name().isEmpty() ? snakeCase(component.getName()) : setting.name();
    Class<?> raw = component.getType();
    FieldType type = typeOf(raw, setting);
    FieldType element = null;
    ConfigSchema nested = null;
    if (type == FieldType.LIST) {
      Type item = ((ParameterizedType) component.getGenericType()).getActualTypeArguments()[0];
      Class<?> itemClass = item instanceof Class<?> c ? c : Object.class;
      element = itemClass == Object.class ? null : typeOf(itemClass, null);
      if (itemClass.isRecord()) {
        nested = ConfigSchema.of(itemClass.asSubclass(Record.class));
      }
    } else if (raw.isRecord()) {
      nested = ConfigSchema.of(raw.asSubclass(Record.class));
    }
    List<String> choices = setting.choices().length > 0 ? Arrays.asList(setting.choices())
        : raw.isEnum() ? Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).toList()
        : null;
    Object defaultValue = setting.defaultValue().equals(Setting.NONE) ? null
        : parse(setting.defaultValue(), type, element);
    if (raw.isPrimitive() && defaultValue == null && !setting.required()) {
      throw new IllegalArgumentException(owner.getSimpleName() + "." + component.getName()
          + " is a " + raw + " without a default: give one, or make it required");
    }
    Double min = Double.isNaN(setting.min()) ? null : setting.min();
    Double max = Double.isNaN(setting.max()) ? null : setting.max();
    return new ConfigField(name, type, setting.required(), defaultValue, setting.value(), element, nested, choices,
        min, max);
  }

  private static FieldType typeOf(Class<?> raw, Setting setting) {
    if (raw == String.class) {
      return setting != null && setting.choices().length > 0 ? FieldType.CHOICE : FieldType.STRING;
    }
    if (raw.isEnum()) {
      return FieldType.CHOICE;
    }
    if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
      return FieldType.INTEGER;
    }
    if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
      return FieldType.NUMBER;
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return FieldType.BOOLEAN;
    }
    if (List.class.isAssignableFrom(raw)) {
      return FieldType.LIST;
    }
    if (raw.isRecord() || Map.class.isAssignableFrom(raw)) {
      return FieldType.OBJECT;
    }
    if (raw == Object.class) {
      return FieldType.ANY;
    }
    throw new IllegalArgumentException("a typed config field cannot be a " + raw.getName());
  }

  private static Object parse(String text, FieldType type, FieldType element) {
    return switch (type) {
      case INTEGER -> Long.parseLong(text);
      case NUMBER -> Double.parseDouble(text);
      case BOOLEAN -> Boolean.parseBoolean(text);
      case LIST -> text.isEmpty() ? List.of()
          : Arrays.stream(text.split(",")).map(item -> parse(item.trim(), element == null ? FieldType.STRING : element, null))
              .toList();
      default -> text;
    };
  }

  /** {@code minArea} as {@code min_area}. */
  static String snakeCase(String name) {
    return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** The record of {@code type} holding {@code values} (validated by its schema: names and types fit). */
  static <R extends Record> R bind(Map<String, Object> values, Class<R> type) {
    RecordComponent[] components = type.getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      Setting setting = component.getAnnotation(Setting.class);
      String name = setting == null || setting.name().isEmpty() ? snakeCase(component.getName()) : setting.name();
      types[i] = component.getType();
      args[i] = convert(values.get(name), component.getType(), component.getGenericType(), type, name);
    }
    try {
      Constructor<R> constructor = type.getDeclaredConstructor(types);
      constructor.setAccessible(true);
      return constructor.newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object convert(Object value, Class<?> raw, Type generic, Class<?> owner, String name) {
    if (raw.isRecord()) {
      return bind(value == null ? Map.of() : (Map<String, Object>) value, raw.asSubclass(Record.class));
    }
    if (value == null) {
      if (raw.isPrimitive()) {
        throw new IllegalStateException(owner.getSimpleName() + "." + name + " has no value and no default");
      }
      return List.class.isAssignableFrom(raw) ? List.of() : null;
    }
    if (raw == int.class || raw == Integer.class) {
      return Math.toIntExact(((Number) value).longValue());
    }
    if (raw == long.class || raw == Long.class) {
      return ((Number) value).longValue();
    }
    if (raw == double.class || raw == Double.class) {
      return ((Number) value).doubleValue();
    }
    if (raw == float.class || raw == Float.class) {
      return ((Number) value).floatValue();
    }
    if (raw.isEnum()) {
      return Enum.valueOf((Class<Enum>) raw, String.valueOf(value).toUpperCase(Locale.ROOT));
    }
    if (List.class.isAssignableFrom(raw)) {
      Type item = ((ParameterizedType) generic).getActualTypeArguments()[0];
      Class<?> itemClass = item instanceof Class<?> c ? c : Object.class;
      List<Object> items = new ArrayList<>();
      for (Object element : (List<Object>) value) {
        items.add(itemClass == Object.class ? element : convert(element, itemClass, itemClass, owner, name));
      }
      return Collections.unmodifiableList(items);
    }
    return value;
  }
}
