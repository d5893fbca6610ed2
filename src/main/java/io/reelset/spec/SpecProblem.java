package io.reelset.spec;

import java.util.Comparator;

/**
 * One thing wrong with a pipeline file: where it is, which stage and field it concerns, and what
 * is wrong in words a person can act on.
 *
 * <p>Renders as {@code FILE:LINE:COL: stage 'ID': FIELD: MESSAGE}, leaving out the stage and the
 * field where they do not apply.
 */
public record SpecProblem(Mark mark, String stageId, String field, String message) {

  /** Orders problems by their place in the file, then by text, so reports are stable. */
  public static final Comparator<SpecProblem> BY_POSITION =
      Comparator.comparing((SpecProblem p) -> p.mark().file())
          .thenComparingInt(p -> p.mark().line())
          .thenComparingInt(p -> p.mark().column())
          .thenComparing(SpecProblem::render);

  public static SpecProblem at(Mark mark, String message) {
    return new SpecProblem(mark, null, null, message);
  }

  public String render() {
    StringBuilder text = new StringBuilder().append(mark).append(": ");
    if (stageId != null) {
      text.append("stage '").append(stageId).append("': ");
    }
    if (field != null) {
      text.append(field).append(": ");
    }
    return Printable.line(text.append(message).toString());
  }

  @Override
  public String toString() {
    return render();
  }
}
