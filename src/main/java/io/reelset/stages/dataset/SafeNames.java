package io.reelset.stages.dataset;

import java.text.Normalizer;

/**
 * File and folder names from identity names, triggers and video names that cannot leave the
 * dataset's directory: letters, digits, {@code . _ -} and (where allowed) spaces only, no leading
 * dot or underscore, at most 64 characters, never empty.
 */
final class SafeNames {
  static final int MAX = 64;

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
    return cleaned.isEmpty() ? "unnamed" : cleaned;
  }

  /** Text for a caption: control characters (newlines too) become spaces. */
  static String text(String text) {
    return text == null ? "" : text.replaceAll("\\p{Cntrl}", " ").replaceAll(" {2,}", " ").strip();
  }
}
