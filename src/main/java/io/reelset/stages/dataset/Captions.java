package io.reelset.stages.dataset;

import io.reelset.values.Tag;
import io.reelset.vision.WdTagger;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Caption templates, one per caption line: {@code {trigger}}, {@code {name}}, {@code {count}}
 * ({@code 1girl}, {@code 2boys}... from the tags), {@code {character_tags}}, {@code {tags}} (the
 * general tags), {@code {rating}}, {@code {video}}, {@code {timestamp}}, {@code {index}}. Tags an
 * identity always has (its core tags) are left out of its captions: the trigger absorbs them.
 *
 * @param templates one per line of the caption file (several: kohya's {@code enable_wildcard})
 * @param separator kohya's {@code keep_tokens_separator}: what comes before it is never shuffled;
 *     empty for none
 */
record Captions(List<String> templates, String separator) implements Serializable {
  static final List<String> PLACEHOLDERS = List.of("trigger", "name", "count", "character_tags", "tags", "rating",
      "video", "timestamp", "index");
  /** Fields from the tags, each any number of comma-separated tags. */
  private static final List<String> TAG_LISTS = List.of("count", "character_tags", "tags");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
  /** The tags that say how many people are in the picture. */
  private static final Pattern COUNT = Pattern.compile("(\\d+\\+?|multiple )(girl|boy|other)s?|no humans");

  /** One image's values. */
  record Fields(String trigger, String name, String video, long ptsMs, int index, List<Tag> tags,
      Set<String> pruned) {}

  Captions {
    templates = List.copyOf(templates);
  }

  /** Checks the templates; the message names each unknown placeholder and what is allowed. */
  static Captions of(List<String> templates, String separator, String stageId) {
    for (String template : templates) {
      String problem = problem(template);
      if (problem != null) {
        throw new IllegalArgumentException("stage '" + stageId + "': config.caption: " + problem);
      }
    }
    return new Captions(templates, separator);
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
    return unknown.isEmpty() ? null : "unknown placeholder " + String.join(", ", unknown) + "; allowed: "
        + String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList());
  }

  /** Whether a tag is a count tag ({@code 1girl}, {@code 2boys}, {@code multiple_girls}, {@code no_humans}). */
  static boolean isCount(String tag) {
    return COUNT.matcher(WdTagger.normalise(tag)).matches();
  }

  /** Whether any template writes tags. */
  boolean usesTags() {
    return templates.stream().anyMatch(t -> TAG_LISTS.stream().anyMatch(f -> t.contains("{" + f + "}"))
        || t.contains("{rating}"));
  }

  private boolean usesCount() {
    return templates.stream().anyMatch(t -> t.contains("{count}"));
  }

  /**
   * How many comma-separated parts of the first template come before its first list of tags
   * (kohya's {@code keep_tokens}): the parts that stay in front when captions are shuffled.
   */
  int fixedTokens() {
    String template = templates.get(0);
    int end = template.length();
    for (String field : TAG_LISTS) {
      int at = template.indexOf("{" + field + "}");
      if (at >= 0) {
        end = Math.min(end, at);
      }
    }
    int tokens = 0;
    for (String part : template.substring(0, end).split(",")) {
      if (!part.isBlank()) {
        tokens++;
      }
    }
    return tokens;
  }

  /** The caption of one image, a line per template; control characters in any value become spaces. */
  String render(Fields f) {
    List<String> count = new ArrayList<>();
    List<String> characters = new ArrayList<>();
    List<String> general = new ArrayList<>();
    String rating = "";
    boolean countApart = usesCount();
    for (Tag tag : f.tags()) {
      String key = WdTagger.normalise(tag.name());
      String text = SafeNames.text(tag.name()).replace(",", " ").trim();
      if (tag.rating()) {
        rating = text;
      } else if (isCount(tag.name()) && countApart) {
        count.add(text);
      } else if (f.pruned().contains(key)) {
        continue;
      } else if (tag.character()) {
        characters.add(text);
      } else {
        general.add(text);
      }
    }
    boolean tags = usesTags();
    List<String> lines = new ArrayList<>();
    for (String template : templates) {
      String text = template
          .replace("{trigger}", SafeNames.text(f.trigger()))
          .replace("{name}", SafeNames.text(f.name()))
          .replace("{video}", SafeNames.text(f.video()))
          .replace("{timestamp}", String.format(Locale.ROOT, "%.3f", f.ptsMs() / 1000.0))
          .replace("{index}", Integer.toString(f.index()))
          .replace("{count}", String.join(", ", count))
          .replace("{character_tags}", String.join(", ", characters))
          .replace("{tags}", String.join(", ", general))
          .replace("{rating}", rating);
      text = SafeNames.text(text);
      lines.add(tags ? tidy(text) : text);
    }
    return String.join("\n", lines);
  }

  /** A tag line without the empty parts that empty fields leave: {@code a, , b,} is {@code a, b}. */
  private String tidy(String line) {
    if (!separator.isEmpty() && line.contains(separator)) {
      int at = line.indexOf(separator);
      String fixed = tidy(line.substring(0, at));
      String rest = tidy(line.substring(at + separator.length()));
      return (fixed + " " + separator + " " + rest).trim();
    }
    Set<String> parts = new LinkedHashSet<>();
    for (String part : line.split(",")) {
      if (!part.isBlank()) {
        parts.add(part.trim());
      }
    }
    return String.join(", ", parts);
  }
}
