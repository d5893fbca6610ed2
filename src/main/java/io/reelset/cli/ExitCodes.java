package io.reelset.cli;

/** What reelset's exit codes mean. */
final class ExitCodes {
  /** The command did what was asked; a run finished DONE. */
  static final int OK = 0;
  /** A run failed or was cancelled. */
  static final int RUN_FAILED = 1;
  /** Bad input: a pipeline file, option or path the user can fix. Nothing was run. */
  static final int BAD_INPUT = 2;

  private ExitCodes() {}

  /** Says {@code reelset COMMAND: MESSAGE} and returns {@link #BAD_INPUT}. */
  static int badInput(java.io.PrintWriter err, String command, String message) {
    err.println("reelset " + command + ": " + io.reelset.spec.Printable.lines(message));
    err.flush();
    return BAD_INPUT;
  }
}
