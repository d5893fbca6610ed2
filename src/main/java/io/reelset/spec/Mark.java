package io.reelset.spec;

/**
 * A position in a pipeline file, 1-based, rendered as {@code FILE:LINE:COL}.
 *
 * <p>Line and column 0 mean "the file as a whole" and render as {@code FILE} only.
 */
public record Mark(String file, int line, int column) {

  public static Mark ofFile(String file) {
    return new Mark(file, 0, 0);
  }

  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line + ":" + column;
  }
}
