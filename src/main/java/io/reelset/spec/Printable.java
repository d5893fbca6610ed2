package io.reelset.spec;

/**
 * Text from a user's files, names and paths made safe to print on one line of a terminal:
 * control characters (newline, NUL, ESC, ...) and invisible format characters (the right-to-left
 * override and its kin) are written as escapes ({@code \n}, {@code \u001B}, {@code \u202E}), so a
 * message stays one line and shows what the file really holds.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} with every control and format character escaped; null stays null. */
  public static String line(String text) {
    if (text == null || text.codePoints().noneMatch(Printable::unsafe)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    text.codePoints().forEach(c -> {
      if (!unsafe(c)) {
        out.appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else {
        out.append(String.format("\\u%04X", c));
      }
    });
    return out.toString();
  }

  /** Each line of {@code text} escaped as {@link #line}; the line breaks between them are kept. */
  public static String lines(String text) {
    if (text == null) {
      return null;
    }
    String[] parts = text.split("\n", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = line(parts[i]);
    }
    return String.join("\n", parts);
  }

  private static boolean unsafe(int c) {
    return Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
        || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
  }
}
