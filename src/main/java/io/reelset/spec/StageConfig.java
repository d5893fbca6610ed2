package io.reelset.spec;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stage's validated config: the values the user gave with the schema's defaults filled in.
 *
 * <p>Values are plain Java (String, Long, Double, Boolean, List, Map), so a config is
 * serializable and can travel inside a transform to the workers.
 */
public final class StageConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Map<String, Object> values;

  public StageConfig(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  public Map<String, Object> asMap() {
    return values;
  }

  public boolean has(String name) {
    return values.get(name) != null;
  }

  public Object get(String name) {
    return values.get(name);
  }

  public String getString(String name) {
    Object value = values.get(name);
    return value == null ? null : value.toString();
  }

  public long getLong(String name) {
    return ((Number) require(name)).longValue();
  }

  public int getInt(String name) {
    return Math.toIntExact(getLong(name));
  }

  public double getDouble(String name) {
    return ((Number) require(name)).doubleValue();
  }

  public boolean getBoolean(String name) {
    return (Boolean) require(name);
  }

  @SuppressWarnings("unchecked")
  public List<Object> getList(String name) {
    Object value = values.get(name);
    return value == null ? List.of() : (List<Object>) value;
  }

  /** A nested mapping as a config of its own; an absent one is empty. */
  @SuppressWarnings("unchecked")
  public StageConfig getConfig(String name) {
    Object value = values.get(name);
    return new StageConfig(value == null ? Map.of() : (Map<String, Object>) value);
  }

  /** These values as the typed config record that declared them ({@link ConfigSchema#of}). */
  public <R extends Record> R as(Class<R> type) {
    return TypedConfigs.bind(values, type);
  }

  private Object require(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw new IllegalArgumentException("config field '" + name + "' has no value and no default");
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StageConfig config && config.values.equals(values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
