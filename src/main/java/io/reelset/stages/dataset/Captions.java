package io.reelset.stages.dataset;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A caption template: {@code {trigger}}, {@code {name}}, {@code {video}}, {@code {timestamp}}, {@code {index}}. */
record Captions(String template) implements Serializable {
  static final List<String> PLACEHOLDERS = List.of("trigger", "name", "video", "timestamp", "index");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");

  /** Checks the template; the message names each unknown placeholder and what is allowed. */
  static Captions of(String template, String stageId) {
    String problem = problem(template);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config.caption: " + problem);
    }
    return new Captions(template);
  }

  /** What is wrong with a template, or null. */
  static String problem(String template) {
    List<String> unknown = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      if (!PLACEHOLDERS.contains(m.group(1))) {
        unknown.add("{" + m.group(1) + "}");
      }
    }
    return unknown.isEmpty() ? null : "unknown placeholder " + String.join(", ", unknown)
        + "; allowed: {trigger}, {name}, {video}, {timestamp}, {index}";
  }

  /** The caption of one image; control characters in any value become spaces. */
  String render(String trigger, String name, String video, long ptsMs, int index) {
    String text = template
        .replace("{trigger}", SafeNames.text(trigger))
        .replace("{name}", SafeNames.text(name))
        .replace("{video}", SafeNames.text(video))
        .replace("{timestamp}", String.format(Locale.ROOT, "%.3f", ptsMs / 1000.0))
        .replace("{index}", Integer.toString(index));
    return SafeNames.text(text);
  }
}
