package io.reelset.spec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stage's {@code retry} block: how often a transient error on one item or batch is tried again
 * inside the stage, and how long to wait before the first retry (doubling after each).
 */
public record RetrySpec(int attempts, Duration backoff) {
  public static final RetrySpec DEFAULT = new RetrySpec(1, Duration.ofSeconds(1));
  static final List<String> FIELDS = List.of("attempts", "backoff");
  private static final Pattern DURATION = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|h)");

  /** Parses {@code 500ms}, {@code 2s}, {@code 1.5m} or {@code 1h}; null if malformed. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    double amount = Double.parseDouble(m.group(1));
    double millis = switch (m.group(2)) {
      case "ms" -> amount;
      case "s" -> amount * 1000;
      case "m" -> amount * 60_000;
      default -> amount * 3_600_000;
    };
    return Duration.ofMillis((long) millis);
  }

  /** Renders the backoff the way a user would write it. */
  public String backoffText() {
    long millis = backoff.toMillis();
    return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
  }

  static RetrySpec parse(YamlValue value, String stageId, List<SpecProblem> problems) {
    if (!(value instanceof YamlValue.Mapping mapping)) {
      problems.add(new SpecProblem(value.mark(), stageId, "retry",
          "expected a mapping with attempts and backoff, got " + value.describe()));
      return DEFAULT;
    }
    int attempts = DEFAULT.attempts();
    Duration backoff = DEFAULT.backoff();
    for (Map.Entry<String, YamlValue> entry : mapping.entries().entrySet()) {
      YamlValue v = entry.getValue();
      Object plain = v.toPlain();
      String field = "retry." + entry.getKey();
      switch (entry.getKey()) {
        case "attempts" -> {
          if (plain instanceof Long l && l >= 1 && l <= 100) {
            attempts = l.intValue();
          } else {
            problems.add(new SpecProblem(v.mark(), stageId, field,
                "expected an integer from 1 to 100 (1 means no retry), got " + v.describe()));
          }
        }
        case "backoff" -> {
          Duration parsed = plain instanceof String s ? parseDuration(s) : null;
          if (parsed == null) {
            problems.add(new SpecProblem(v.mark(), stageId, field,
                "expected a duration such as 500ms, 2s, 1m or 1h, got " + v.describe()));
          } else {
            backoff = parsed;
          }
        }
        default -> problems.add(new SpecProblem(mapping.keyMark(entry.getKey()), stageId, field,
            "unknown field" + Suggestions.didYouMean(entry.getKey(), FIELDS)
                + "; allowed: " + String.join(", ", FIELDS)));
      }
    }
    return new RetrySpec(attempts, backoff);
  }
}
