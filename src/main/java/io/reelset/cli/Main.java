package io.reelset.cli;

/** The {@code reelset} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(ReelsetCommand.createCommandLine(args).execute(args));
  }
}
