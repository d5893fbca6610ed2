package io.reelset.stages;

import io.reelset.spec.StageConfig;
import java.util.List;

/** Config values shared by the image stages: per-channel numbers and colours. */
public final class ImageConfig {
  private ImageConfig() {}

  /**
   * Three numbers (R, G, B) from a list field, or {@code fallback} when it is empty.
   *
   * @throws IllegalArgumentException naming the stage and field when there are not 3, or a std is 0
   */
  public static float[] rgb(StageConfig config, String field, float[] fallback, String stageId) {
    List<Object> given = config.getList(field);
    if (given.isEmpty()) {
      return fallback;
    }
    if (given.size() != 3) {
      throw new IllegalArgumentException("stage '" + stageId + "': config." + field
          + ": give 3 numbers (R, G, B), got " + given.size());
    }
    float[] values = new float[3];
    for (int i = 0; i < 3; i++) {
      values[i] = ((Number) given.get(i)).floatValue();
      if (field.equals("std") && values[i] == 0) {
        throw new IllegalArgumentException("stage '" + stageId + "': config.std: must not be 0");
      }
    }
    return values;
  }

  /**
   * A {@code #RRGGBB} colour as RGB, or -1 for empty text when {@code emptyMeaning} says what
   * empty means (null: empty is not allowed).
   */
  public static int colour(StageConfig config, String field, String stageId, String emptyMeaning) {
    String text = config.getString(field);
    if ((text == null || text.isEmpty()) && emptyMeaning != null) {
      return -1;
    }
    if (text == null || !text.matches("#[0-9A-Fa-f]{6}")) {
      throw new IllegalArgumentException("stage '" + stageId + "': config." + field + ": '" + text
          + "' is not a colour; write #RRGGBB" + (emptyMeaning == null ? "" : ", or leave it empty " + emptyMeaning));
    }
    return Integer.parseInt(text.substring(1), 16);
  }
}
