package io.reelset.cli;

import io.reelset.compile.PipelineCompiler;
import io.reelset.compile.Preflight;
import io.reelset.run.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelset clean RUN}: deletes a run's completion records ({@code checkpoints/}) to free
 * the disk they take; the dataset and the rest of the run directory stay.
 */
@Command(name = "clean", mixinStandardHelpOptions = true, description = {
    "Delete a finished run's completion records (checkpoints/) to free disk. The dataset stays; a later"
        + " resume or edit of the run then computes everything again.",
    "Exit code: 0, or 2 when there is no such run or it is running."})
final class CleanCommand implements Callable<Integer> {
  @Mixin RunArgument target;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runs.View view = target.find("clean", err);
    if (view == null) {
      return ExitCodes.BAD_INPUT;
    }
    try {
      if (view.state() == Runs.Shown.RUNNING || view.state() == Runs.Shown.UNKNOWN) {
        err.println("reelset clean: run " + view.id() + " may be running (" + view.state().text()
            + "); its records are in use");
        err.flush();
        return ExitCodes.BAD_INPUT;
      }
      Path records = view.dir().resolve(PipelineCompiler.CHECKPOINTS);
      long files = 0;
      long bytes = 0;
      if (Files.isDirectory(records)) {
        try (Stream<Path> walk = Files.walk(records)) {
          for (Path p : walk.filter(Files::isRegularFile).toList()) {
            files++;
            bytes += Files.size(p);
          }
        }
        ResumeCommand.deleteTree(records);
      }
      out.printf("run %s: deleted %d completion records (%s); a resume or an edit now computes everything again%n",
          view.id(), files, Preflight.size(bytes));
      out.flush();
      return ExitCodes.OK;
    } catch (IOException e) {
      err.println("reelset clean: run " + view.id() + ": " + e.getMessage());
    }
    err.flush();
    return ExitCodes.BAD_INPUT;
  }
}
