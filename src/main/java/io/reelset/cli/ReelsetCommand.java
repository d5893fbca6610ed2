package io.reelset.cli;

import io.reelset.run.ExitCodes;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code reelset} command; every action is a subcommand. */
@Command(
    name = "reelset",
    mixinStandardHelpOptions = true,
    versionProvider = ReelsetCommand.Version.class,
    description = "Turns a corpus of videos into a per-character training dataset with Apache Beam.",
    subcommands = {ValidateCommand.class, PlanCommand.class, RunCommand.class, ResumeCommand.class,
        StatusCommand.class, ListCommand.class, CancelCommand.class, StatsCommand.class, CreateCommand.class, CleanCommand.class,
        StagesCommand.class, CheckDatasetCommand.class,
        CommandLine.HelpCommand.class})
public final class ReelsetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The command line as {@code main} uses it; tests call this with their own writers. */
  public static CommandLine createCommandLine() {
    CommandLine commandLine = new CommandLine(new ReelsetCommand());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setExecutionExceptionHandler((e, cl, parsed) -> {
      PrintWriter err = cl.getErr();
      err.println("reelset: internal error: " + e);
      if (System.getenv("REELSET_DEBUG") != null) {
        e.printStackTrace(err);
      } else {
        err.println("(set REELSET_DEBUG=1 to see the stack trace)");
      }
      err.flush();
      return ExitCodes.RUN_FAILED;
    });
    return commandLine;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = ReelsetCommand.class.getPackage().getImplementationVersion();
      return new String[] {"reelset " + (version == null ? "(development build)" : version)};
    }
  }
}
