package io.reelset.stages.dataset;

import java.text.Normalizer;

/**
 * File and folder names from identity names, triggers and video names that cannot leave the
 * dataset's directory: letters, digits, {@code . _ -} and (where allowed) spaces only, no leading
 * dot or underscore, at most 64 characters and {@value #MAX_BYTES} bytes of UTF-8 (a file name may
 * hold two of them and stay under the 255 bytes file systems allow), never empty.
 */
final class SafeNames {
  static final int MAX = 64;
  static final int MAX_BYTES = 100;

  private SafeNames() {}

  /** A name for one path component. */
  static String component(String text, boolean spaces) {
    String s = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFC);
    StringBuilder out = new StringBuilder();
    s.codePoints().forEach(c -> {
      boolean ok = Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || (spaces && c == ' ');
      out.appendCodePoint(ok ? c : '_');
    });
    String cleaned = out.toString().replaceAll("_{2,}", "_").replaceAll(" {2,}", " ").strip();
    while (cleaned.startsWith(".") || cleaned.startsWith("_")) {
      cleaned = cleaned.substring(1);
    }
    if (cleaned.codePointCount(0, cleaned.length()) > MAX) {
      cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, MAX)).strip();
    }
    while (cleaned.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
      cleaned = cleaned.substring(0, cleaned.offsetByCodePoints(0, cleaned.codePointCount(0, cleaned.length()) - 1))
          .strip();
    }
    return cleaned.isEmpty() ? "unnamed" : cleaned;
  }

  /**
   * The file name stem of each identity's images: its cleaned name, and where two identities'
   * names clean alike ({@code a/b} and {@code a_b}), the cleaned name and the identity's id, so no
   * identity's images overwrite another's.
   *
   * @param names identity id to name
   */
  static java.util.Map<String, String> stems(java.util.Map<String, String> names) {
    java.util.Map<String, java.util.List<String>> byStem = new java.util.TreeMap<>();
    new java.util.TreeMap<>(names).forEach((id, name) ->
        byStem.computeIfAbsent(component(name, false), k -> new java.util.ArrayList<>()).add(id));
    java.util.Map<String, String> stems = new java.util.HashMap<>();
    java.util.Set<String> used = new java.util.HashSet<>();
    byStem.forEach((stem, ids) -> {
      if (ids.size() == 1) {
        stems.put(ids.get(0), stem);
        used.add(stem);
      }
    });
    byStem.forEach((stem, ids) -> {
      if (ids.size() > 1) {
        for (String id : ids) {
          String unique = component(stem + "_" + component(id, false), false);
          for (int n = 2; !used.add(unique); n++) {
            unique = component(stem + "_" + n, false);
          }
          stems.put(id, unique);
        }
      }
    });
    return stems;
  }

  /** Text for a caption: control characters (newlines too) become spaces. */
  static String text(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").replaceAll(" {2,}", " ").strip();
  }
}
