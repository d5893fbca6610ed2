package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.stages.dataset.DatasetCheck;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code reelset check-dataset DIR}: checks a kohya_ss or Hugging Face dataset as its trainer will
 * read it; one line per problem and exit 2, or the command that trains on it.
 */
@Command(name = "check-dataset", mixinStandardHelpOptions = true, description = {
    "Checks a kohya_ss dataset (dataset_config.toml keys sd-scripts accepts, image dirs, <repeats>_<name> folders,"
        + " a caption beside every image) or a Hugging Face imagefolder (metadata.jsonl), and that no image is too"
        + " small; prints one line per problem (exit 2), or the command to train on it."})
final class CheckDatasetCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DIR", description = "The dataset folder (a training_data_prep output_dir).")
  Path dir;

  @Option(names = "--min-side", paramLabel = "PIXELS", defaultValue = "-1",
      description = "Smallest shorter side an image may have (default: a quarter of the toml's resolution, else 256).")
  int minSide;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    DatasetCheck.Result result = DatasetCheck.check(dir, minSide);
    if (!result.ok()) {
      result.problems().forEach(problem -> err.println(dir + ": " + problem));
      err.println("check-dataset: " + result.problems().size() + (result.problems().size() == 1 ? " problem" : " problems")
          + " in " + dir);
      err.flush();
      return ExitCodes.BAD_INPUT;
    }
    out.println("check-dataset: " + dir + " is a good " + (result.format().equals("kohya") ? "kohya_ss" : "Hugging Face")
        + " dataset; train with:");
    out.println("  " + result.command());
    out.flush();
    return ExitCodes.OK;
  }
}
