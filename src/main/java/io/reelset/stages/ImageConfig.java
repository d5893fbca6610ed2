package io.reelset.stages;

import io.reelset.spec.ConfigRule;
import java.util.List;

/** Config values shared by the image stages: per-channel numbers and {@code #RRGGBB} colours. */
public final class ImageConfig {
  private ImageConfig() {}

  /** Three numbers (R, G, B), or {@code fallback} when none are given; checked by {@link #checkRgb}. */
  public static float[] rgb(List<Double> given, float[] fallback) {
    if (given.isEmpty()) {
      return fallback;
    }
    float[] values = new float[3];
    for (int i = 0; i < 3; i++) {
      values[i] = given.get(i).floatValue();
    }
    return values;
  }

  /** A problem with {@code field} unless it is empty or three numbers (R, G, B); a std must not be 0. */
  public static void checkRgb(ConfigRule.Checked problems, String field, List<Double> given, boolean isStd) {
    if (given.isEmpty()) {
      return;
    }
    if (given.size() != 3) {
      problems.problem(field, "give 3 numbers (R, G, B), got " + given.size());
    } else if (isStd && given.stream().anyMatch(v -> v == 0)) {
      problems.problem(field, "must not be 0");
    }
  }

  /**
   * A problem with {@code field} unless it is a {@code #RRGGBB} colour, or empty where
   * {@code emptyMeaning} says what empty means (null: empty is not allowed).
   */
  public static void checkColour(ConfigRule.Checked problems, String field, String text, String emptyMeaning) {
    if ((text == null || text.isEmpty()) && emptyMeaning != null) {
      return;
    }
    if (text == null || !text.matches("#[0-9A-Fa-f]{6}")) {
      problems.problem(field, "'" + text + "' is not a colour; write #RRGGBB" + (emptyMeaning == null ? ""
          : ", or leave it empty " + emptyMeaning));
    }
  }

  /** A checked {@code #RRGGBB} colour as RGB, or -1 for empty text. */
  public static int colour(String text) {
    return text == null || text.isEmpty() ? -1 : Integer.parseInt(text.substring(1), 16);
  }
}
