package io.reelset.run;

import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Builds Beam {@link PipelineOptions} from the options a user passes through the reelset command
 * line ({@code --runner=FlinkRunner}, {@code --targetParallelism=4}, any other).
 *
 * <p>On the DirectRunner, its immutability and encodability checks are turned off unless the user
 * sets them: with image-sized elements they made a run 4.3 times slower and 3.5 times heavier. Its
 * workers are one per core unless the user says otherwise (Beam's default is at least three): on
 * 2 cores the episode benchmark took 289 s with two workers and 293 s and 307 s with three, at a
 * peak RSS of 6.25 GiB against 7.53 and 7.01 GiB: three ISNet inferences side by side hold more
 * memory than two, for no more speed.
 */
public final class RunnerOptions {
  private RunnerOptions() {}

  /**
   * @throws IllegalArgumentException naming the bad option, with Beam's reason
   */
  public static PipelineOptions parse(List<String> args, String jobName) {
    for (String arg : args) {
      if (!arg.startsWith("--") || arg.length() < 3) {
        throw new IllegalArgumentException("'" + arg + "' is not an option; Beam options are"
            + " written --name=value, e.g. --runner=FlinkRunner");
      }
    }
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(args.toArray(String[]::new)).withValidation().create();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad Beam option: " + e.getMessage(), e);
    }
    if (!given(args, "jobName")) {
      options.setJobName(jobName);
    }
    if (given(args, "targetParallelism") && options.as(DirectOptions.class).getTargetParallelism() < 1) {
      throw new IllegalArgumentException("bad Beam option: --targetParallelism="
          + options.as(DirectOptions.class).getTargetParallelism() + ": the DirectRunner's threads, at least 1");
    }
    for (String name : List.of("parallelism", "maxParallelism")) {
      if (given(args, name)) {
        org.apache.beam.runners.flink.FlinkPipelineOptions flink =
            options.as(org.apache.beam.runners.flink.FlinkPipelineOptions.class);
        int value = name.equals("parallelism") ? flink.getParallelism() : flink.getMaxParallelism();
        if (value < 1) {
          throw new IllegalArgumentException("bad Beam option: --" + name + "=" + value
              + ": Flink's parallel tasks, at least 1 (leave it out for the cluster's default)");
        }
      }
    }
    if (isDirect(options)) {
      DirectOptions direct = options.as(DirectOptions.class);
      if (!given(args, "enforceImmutability")) {
        direct.setEnforceImmutability(false);
      }
      if (!given(args, "enforceEncodability")) {
        direct.setEnforceEncodability(false);
      }
      if (!given(args, "targetParallelism")) {
        direct.setTargetParallelism(Runtime.getRuntime().availableProcessors());
      }
      direct.setBlockOnRun(false);
    }
    return options;
  }

  public static boolean isDirect(PipelineOptions options) {
    return options.getRunner().getSimpleName().equals("DirectRunner");
  }

  private static boolean given(List<String> args, String name) {
    return args.stream().anyMatch(a -> a.equals("--" + name) || a.startsWith("--" + name + "="));
  }
}
