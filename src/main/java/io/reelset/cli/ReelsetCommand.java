package io.reelset.cli;

import io.reelset.run.ExitCodes;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code reelset} command; every action is a subcommand. */
@Command(
    name = "reelset",
    mixinStandardHelpOptions = true,
    versionProvider = ReelsetCommand.Version.class,
    description = "Turns a corpus of videos into a per-character training dataset with Apache Beam.")
public final class ReelsetCommand implements Runnable {
  /** The subcommands, in the order {@code reelset --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS = List.of(ValidateCommand.class, PlanCommand.class,
      RunCommand.class, ResumeCommand.class, StatusCommand.class, ListCommand.class, CancelCommand.class,
      StatsCommand.class, CreateCommand.class, CleanCommand.class, StagesCommand.class, CheckDatasetCommand.class,
      CommandLine.HelpCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getErr());
  }

  /** The command line with every subcommand; tests call this with their own writers. */
  public static CommandLine createCommandLine() {
    return createCommandLine(new String[0]);
  }

  /**
   * The command line for {@code args}, as {@code main} uses it: with only the subcommand they start
   * with when that is one (picocli builds each subcommand's model by reflection when it is added:
   * all of them took 0.09 s of every start, on 2 cores), else with all of them, for help and for a
   * misspelt command's suggestions.
   */
  public static CommandLine createCommandLine(String[] args) {
    CommandLine commandLine = new CommandLine(new ReelsetCommand());
    String first = args.length > 0 ? args[0] : "";
    boolean justOne = !first.equals("help") && SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(first));
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (!justOne || name(subcommand).equals(first)) {
        commandLine.addSubcommand(subcommand);
      }
    }
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

  private static String name(Class<?> subcommand) {
    return subcommand.getAnnotation(Command.class).name();
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
