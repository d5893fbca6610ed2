package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.compile.PipelineCompiler;
import io.reelset.kit.Preflight;
import io.reelset.run.RunDirectory;
import io.reelset.run.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
    if (view.state() == Runs.Shown.RUNNING || view.state() == Runs.Shown.UNKNOWN) {
      return ExitCodes.badInput(err, "clean", "run " + view.id() + " may be running (" + view.state().text()
          + "); its records are in use");
    }
    RunDirectory.Deleted deleted;
    try {
      deleted = RunDirectory.deleteTree(view.dir().resolve(PipelineCompiler.CHECKPOINTS));
    } catch (IOException e) {
      return ExitCodes.badInput(err, "clean", "run " + view.id() + ": " + e.getMessage());
    }
    out.printf("run %s: deleted %d completion records (%s); a resume or an edit now computes everything again%n",
        view.id(), deleted.files(), Preflight.size(deleted.bytes()));
    out.flush();
    return ExitCodes.OK;
  }
}
