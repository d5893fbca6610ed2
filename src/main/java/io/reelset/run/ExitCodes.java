package io.reelset.run;

/** What reelset's exit codes mean. */
public final class ExitCodes {
  /** The command did what was asked; a run finished DONE. */
  public static final int OK = 0;
  /** A run failed or was cancelled. */
  public static final int RUN_FAILED = 1;
  /** Bad input: a pipeline file, option or path the user can fix. Nothing was run. */
  public static final int BAD_INPUT = 2;

  private ExitCodes() {}

  /** Says {@code reelset COMMAND: MESSAGE} and returns {@link #BAD_INPUT}. */
  public static int badInput(java.io.PrintWriter err, String command, String message) {
    err.println("reelset " + command + ": " + io.reelset.spec.Printable.lines(message));
    err.flush();
    return BAD_INPUT;
  }
}
