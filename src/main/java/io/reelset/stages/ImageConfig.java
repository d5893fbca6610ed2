package io.reelset.stages;

import io.reelset.spec.ConfigRule;
import io.reelset.spec.StageConfig;
import java.util.List;
import java.util.Map;

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
    String problem = rgbProblem(config, field);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config." + field + ": " + problem);
    }
    float[] values = new float[3];
    for (int i = 0; i < 3; i++) {
      values[i] = ((Number) given.get(i)).floatValue();
    }
    return values;
  }

  /** What is wrong with a list of three numbers (R, G, B; a std must not be 0), or null. */
  static String rgbProblem(StageConfig config, String field) {
    List<Object> given = config.getList(field);
    if (given.isEmpty()) {
      return null;
    }
    if (given.size() != 3) {
      return "give 3 numbers (R, G, B), got " + given.size();
    }
    if (field.equals("std") && given.stream().anyMatch(v -> ((Number) v).doubleValue() == 0)) {
      return "must not be 0";
    }
    return null;
  }

  /** What is wrong with a {@code #RRGGBB} colour field, or null; see {@link #colour}. */
  static String colourProblem(StageConfig config, String field, String emptyMeaning) {
    String text = config.getString(field);
    if ((text == null || text.isEmpty()) && emptyMeaning != null) {
      return null;
    }
    if (text == null || !text.matches("#[0-9A-Fa-f]{6}")) {
      return "'" + text + "' is not a colour; write #RRGGBB" + (emptyMeaning == null ? ""
          : ", or leave it empty " + emptyMeaning);
    }
    return null;
  }

  /**
   * The spec-phase rule for image fields: {@code mean} and {@code std} lists of three numbers and
   * {@code #RRGGBB} colours, reported with the file's marks.
   *
   * @param colours colour field to what leaving it empty means, or null where it may not be empty
   */
  public static ConfigRule rule(List<String> rgbFields, Map<String, String> colours) {
    return checked -> {
      for (String field : rgbFields) {
        String problem = rgbProblem(checked.values(), field);
        if (problem != null) {
          checked.problem(field, problem);
        }
      }
      colours.forEach((field, emptyMeaning) -> {
        String problem = colourProblem(checked.values(), field, emptyMeaning);
        if (problem != null) {
          checked.problem(field, problem);
        }
      });
    };
  }

  /**
   * A {@code #RRGGBB} colour as RGB, or -1 for empty text when {@code emptyMeaning} says what
   * empty means (null: empty is not allowed).
   */
  public static int colour(StageConfig config, String field, String stageId, String emptyMeaning) {
    String problem = colourProblem(config, field, emptyMeaning);
    if (problem != null) {
      throw new IllegalArgumentException("stage '" + stageId + "': config." + field + ": " + problem);
    }
    String text = config.getString(field);
    return text == null || text.isEmpty() ? -1 : Integer.parseInt(text.substring(1), 16);
  }
}
