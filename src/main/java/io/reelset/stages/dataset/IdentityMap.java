package io.reelset.stages.dataset;

import io.reelset.spec.Mark;
import io.reelset.spec.SpecException;
import io.reelset.spec.YamlReader;
import io.reelset.spec.YamlValue;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code identities.yaml} says about the clusters: a new name and trigger, a merge into
 * another identity, or a drop. Identities it does not mention keep their id as name and trigger.
 *
 * <pre>
 * identity_001: {name: Alice, trigger: alc_chr}
 * identity_002: {merge: identity_001}     # its crops become Alice's
 * identity_003: drop                      # or {drop: true}
 * </pre>
 */
final class IdentityMap implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> FIELDS = Set.of("name", "trigger", "merge", "drop");

  /** The identity a crop ends up in, or null when dropped. */
  record Target(String id, String name, String trigger) implements Serializable {}

  private record Entry(String name, String trigger, String merge, boolean drop) implements Serializable {}

  private final Map<String, Entry> entries;

  private IdentityMap(Map<String, Entry> entries) {
    this.entries = entries;
  }

  static IdentityMap none() {
    return new IdentityMap(Map.of());
  }

  /**
   * Reads the file; every problem is reported as {@code FILE:LINE:COL: identity: field: message}.
   *
   * @throws IllegalArgumentException with every problem, one per line
   */
  static IdentityMap read(Path file, String stageId) {
    String where = "stage '" + stageId + "': config.identities: ";
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(where + file + " does not exist; write one (see the README) or leave"
          + " identities out");
    }
    YamlValue root;
    try {
      root = YamlReader.readData(file, file.toString());
    } catch (SpecException e) {
      throw new IllegalArgumentException(where + String.join("; ", e.lines()), e);
    }
    if (root instanceof YamlValue.Scalar s && s.value() == null) {
      return none();
    }
    if (!(root instanceof YamlValue.Mapping mapping)) {
      throw new IllegalArgumentException(root.mark() + ": expected a mapping of identity id to"
          + " {name, trigger}, {merge: other id} or drop, got " + root.describe());
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    StringBuilder problems = new StringBuilder();
    for (Map.Entry<String, YamlValue> e : mapping.entries().entrySet()) {
      String id = e.getKey();
      YamlValue value = e.getValue();
      Mark at = value.mark();
      if (value instanceof YamlValue.Scalar s && "drop".equals(s.value())) {
        entries.put(id, new Entry(null, null, null, true));
        continue;
      }
      if (!(value instanceof YamlValue.Mapping fields)) {
        problems.append(at).append(": ").append(id).append(": expected {name: ..., trigger: ...},"
            + " {merge: other id} or drop, got ").append(value.describe()).append('\n');
        continue;
      }
      for (String field : fields.entries().keySet()) {
        if (!FIELDS.contains(field)) {
          problems.append(fields.keyMark(field)).append(": ").append(id).append(": ").append(field)
              .append(": unknown field; allowed: drop, merge, name, trigger\n");
        }
      }
      String name = text(fields, "name", id, problems);
      String trigger = text(fields, "trigger", id, problems);
      String merge = text(fields, "merge", id, problems);
      YamlValue drop = fields.entries().get("drop");
      boolean dropped = drop != null && Boolean.TRUE.equals(drop.toPlain());
      if (drop != null && !(drop.toPlain() instanceof Boolean)) {
        problems.append(drop.mark()).append(": ").append(id).append(": drop: expected true or false, got ")
            .append(drop.describe()).append('\n');
      }
      if (merge != null && (name != null || trigger != null)) {
        problems.append(at).append(": ").append(id).append(": merge takes the other identity's name and trigger;"
            + " give name and trigger there\n");
      }
      entries.put(id, new Entry(name, trigger, merge, dropped));
    }
    IdentityMap map = new IdentityMap(entries);
    for (String id : entries.keySet()) {
      Set<String> seen = new LinkedHashSet<>();
      String current = id;
      while (current != null && entries.containsKey(current) && entries.get(current).merge() != null) {
        if (!seen.add(current)) {
          problems.append(file).append(": ").append(id).append(": merges go round in a circle: ")
              .append(String.join(" -> ", seen)).append(" -> ").append(current).append('\n');
          break;
        }
        current = entries.get(current).merge();
      }
    }
    if (problems.length() > 0) {
      throw new IllegalArgumentException(problems.toString().strip());
    }
    return map;
  }

  private static String text(YamlValue.Mapping fields, String field, String id, StringBuilder problems) {
    YamlValue v = fields.entries().get(field);
    if (v == null) {
      return null;
    }
    if (v instanceof YamlValue.Scalar s && s.value() != null && !(s.value() instanceof Boolean)
        && !String.valueOf(s.value()).isBlank()) {
      return String.valueOf(s.value());
    }
    problems.append(v.mark()).append(": ").append(id).append(": ").append(field).append(": expected a non-empty"
        + " string, got ").append(v.describe()).append('\n');
    return null;
  }

  /** Where the crops of cluster or reference {@code id} go; null when they are dropped. */
  Target resolve(String id) {
    String current = id;
    for (int hops = 0; hops <= entries.size(); hops++) {
      Entry e = entries.get(current);
      if (e == null) {
        return new Target(current, current, current);
      }
      if (e.drop()) {
        return null;
      }
      if (e.merge() == null) {
        String name = e.name() != null ? e.name() : current;
        return new Target(current, name, e.trigger() != null ? e.trigger() : name);
      }
      current = e.merge();
    }
    throw new IllegalStateException("merge cycle at " + id);
  }

  List<String> mentioned() {
    return List.copyOf(entries.keySet());
  }
}
