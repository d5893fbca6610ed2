package io.reelset.cli;

import io.reelset.run.Runs;
import io.reelset.spec.Printable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The run a command acts on: its id in {@code --runs-dir}, or its directory. */
final class RunArgument {
  @Parameters(index = "0", paramLabel = "RUN", description = "The run id (in --runs-dir) or the run directory.")
  String run;

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where run directories are (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  /** The run as it stands, or null after telling {@code err} why there is none. */
  Runs.View find(String command, PrintWriter err) {
    try {
      return Runs.view(Runs.locate(runsDir, run).toAbsolutePath().normalize());
    } catch (IllegalArgumentException e) {
      err.println("reelset " + command + ": " + Printable.lines(e.getMessage()));
    } catch (IOException e) {
      err.println("reelset " + command + ": " + Printable.line("cannot read the status of run '" + run + "': "
          + e.getMessage()));
    }
    err.flush();
    return null;
  }
}
