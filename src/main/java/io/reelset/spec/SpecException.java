package io.reelset.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a pipeline file, or what the command line adds to it, cannot become a valid plan.
 * Holds every problem found, in file order, not only the first.
 */
public final class SpecException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<SpecProblem> problems;

  public SpecException(List<SpecProblem> problems) {
    super(problems.stream().map(SpecProblem::render).collect(Collectors.joining("\n")));
    this.problems = problems.stream().sorted(SpecProblem.BY_POSITION).distinct().toList();
  }

  public SpecException(SpecProblem problem) {
    this(List.of(problem));
  }

  public List<SpecProblem> problems() {
    return problems;
  }

  /** One problem per line, in file order. */
  public List<String> lines() {
    return problems.stream().map(SpecProblem::render).toList();
  }
}
