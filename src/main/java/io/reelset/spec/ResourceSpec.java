package io.reelset.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's {@code resources} block: hints the runner may use to place the stage's work.
 *
 * <p>They become Beam resource hints: {@code min_ram} (bytes, or a size such as {@code 4GiB}),
 * {@code accelerator} (a runner-specific string such as {@code type:nvidia-l4;count:1}) and
 * {@code cpu_count}. Runners that do not know a hint ignore it.
 */
public record ResourceSpec(Long minRamBytes, String accelerator, Integer cpuCount) {
  public static final ResourceSpec NONE = new ResourceSpec(null, null, null);
  static final List<String> FIELDS = List.of("accelerator", "cpu_count", "min_ram");
  private static final Pattern SIZE =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");
  private static final Map<String, Long> UNITS = new LinkedHashMap<>();

  static {
    UNITS.put("B", 1L);
    UNITS.put("KB", 1000L);
    UNITS.put("MB", 1000L * 1000);
    UNITS.put("GB", 1000L * 1000 * 1000);
    UNITS.put("TB", 1000L * 1000 * 1000 * 1000);
    UNITS.put("KiB", 1024L);
    UNITS.put("MiB", 1024L * 1024);
    UNITS.put("GiB", 1024L * 1024 * 1024);
    UNITS.put("TiB", 1024L * 1024 * 1024 * 1024);
  }

  public boolean isEmpty() {
    return minRamBytes == null && accelerator == null && cpuCount == null;
  }

  /** Parses a memory size such as {@code 4GiB}, {@code 512MB} or {@code 1000000}; -1 if malformed. */
  public static long parseSize(String text) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      return -1;
    }
    double bytes = Double.parseDouble(m.group(1)) * UNITS.get(m.group(2) == null ? "B" : m.group(2));
    return bytes < 1 || bytes > Long.MAX_VALUE ? -1 : (long) bytes;
  }

  static ResourceSpec parse(YamlValue value, String stageId, List<SpecProblem> problems) {
    if (!(value instanceof YamlValue.Mapping mapping)) {
      problems.add(new SpecProblem(value.mark(), stageId, "resources",
          "expected a mapping with " + String.join(", ", FIELDS) + ", got " + value.describe()));
      return NONE;
    }
    Long minRam = null;
    String accelerator = null;
    Integer cpuCount = null;
    for (Map.Entry<String, YamlValue> entry : mapping.entries().entrySet()) {
      String field = "resources." + entry.getKey();
      YamlValue v = entry.getValue();
      Object plain = v.toPlain();
      switch (entry.getKey()) {
        case "min_ram" -> {
          long bytes = plain instanceof Long l ? l : plain instanceof String s ? parseSize(s) : -1;
          if (bytes <= 0) {
            problems.add(new SpecProblem(v.mark(), stageId, field,
                "expected a memory size such as 4GiB, 512MiB or 8GB (units B, KB, MB, GB, TB,"
                    + " KiB, MiB, GiB, TiB), got " + v.describe()));
          } else {
            minRam = bytes;
          }
        }
        case "accelerator" -> {
          if (plain instanceof String s && !s.isBlank()) {
            accelerator = s;
          } else {
            problems.add(new SpecProblem(v.mark(), stageId, field,
                "expected a non-empty string such as 'type:nvidia-l4;count:1', got " + v.describe()));
          }
        }
        case "cpu_count" -> {
          if (plain instanceof Long l && l >= 1 && l <= 1024) {
            cpuCount = l.intValue();
          } else {
            problems.add(new SpecProblem(v.mark(), stageId, field,
                "expected an integer from 1 to 1024, got " + v.describe()));
          }
        }
        default -> problems.add(new SpecProblem(mapping.keyMark(entry.getKey()), stageId, field,
            "unknown resource hint" + Suggestions.didYouMean(entry.getKey(), FIELDS)
                + "; allowed: " + String.join(", ", FIELDS)));
      }
    }
    return new ResourceSpec(minRam, accelerator, cpuCount);
  }
}
