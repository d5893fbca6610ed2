package io.reelset.cli;

import io.reelset.run.ExitCodes;
import io.reelset.run.FlinkJobs;
import io.reelset.run.RunDirectory;
import io.reelset.run.RunState;
import io.reelset.run.RunStatus;
import io.reelset.run.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelset cancel RUN}: stops a live run. A local run gets SIGTERM, stops its pipeline
 * cleanly and marks itself cancelled; a Flink job is cancelled through the cluster's REST API;
 * a run whose process died is marked cancelled.
 */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = {
    "Cancel a running run: the local process stops cleanly and marks the run cancelled; a Flink job is"
        + " cancelled through its REST API. A cancelled run can still be resumed.",
    "Exit code: 0 when the run is cancelled, 1 when it did not stop in time, 2 when there is no such"
        + " run or it is not running."})
final class CancelCommand implements Callable<Integer> {
  @Mixin RunArgument target;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "How long to wait for the run to stop (default: ${DEFAULT-VALUE}).",
      converter = ProgressInterval.DurationConverter.class)
  Duration timeout;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runs.View view = target.find("cancel", err);
    if (view == null) {
      return ExitCodes.BAD_INPUT;
    }
    RunStatus s = view.status();
    RunDirectory directory = RunDirectory.open(view.dir(), Clock.systemUTC());
    switch (view.state()) {
      case COMPLETED, FAILED, CANCELLED -> {
        return ExitCodes.badInput(err, "cancel", "run " + view.id() + " is not running: it is " + view.state().text());
      }
      case DIED -> {
        mark(directory, s, "cancelled after its process died");
        out.printf("run %s: its process had died; marked cancelled (reelset resume %s still finishes it)%n",
            view.id(), view.id());
        out.flush();
        return ExitCodes.OK;
      }
      default -> { }
    }
    if (s.flinkMaster() != null) {
      try {
        FlinkJobs flink = new FlinkJobs(s.flinkMaster());
        FlinkJobs.Job job = flink.find(view.id());
        if (job != null && !isTerminal(job.state())) {
          flink.cancel(job.id());
          out.printf("run %s: asked Flink at %s to cancel job %s%n", view.id(), s.flinkMaster(), job.id());
        }
      } catch (IOException e) {
        err.printf("reelset cancel: %s%n", e.getMessage());
      }
    }
    if (view.state() == Runs.Shown.UNKNOWN) {
      return ExitCodes.badInput(err, "cancel", "run " + view.id() + " runs on " + s.host() + "; cancel it there"
          + (s.flinkMaster() != null ? " (its Flink job was asked to cancel)" : ""));
    }
    Optional<ProcessHandle> process = ProcessHandle.of(s.pid());
    boolean forced = false;
    if (process.isPresent()) {
      process.get().destroy(); // SIGTERM: the run's shutdown hook cancels the pipeline and marks the run
      try {
        process.get().onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        err.printf("reelset cancel: run %s did not stop within %s; stopping its process (kill -9)%n", view.id(),
            StatusCommand.seconds(timeout.toSeconds()));
        process.get().destroyForcibly();
        forced = true;
        process.get().onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        // the process is gone either way
      }
    }
    RunStatus after = directory.readStatus();
    if (after.state() != RunState.CANCELLED) {
      mark(directory, after, "cancelled by reelset cancel");
    }
    out.printf("run %s: cancelled (reelset resume %s finishes it)%n", view.id(), view.id());
    out.flush();
    return forced ? ExitCodes.RUN_FAILED : ExitCodes.OK;
  }

  private static void mark(RunDirectory directory, RunStatus s, String reason) {
    String now = java.time.Instant.now().toString();
    directory.writeStatus(s.ended(RunState.CANCELLED, now, reason));
    directory.event("run_cancelled", Map.of("reason", reason));
  }

  private static boolean isTerminal(String flinkState) {
    return switch (flinkState) {
      case "FINISHED", "FAILED", "CANCELED", "SUSPENDED" -> true;
      default -> false;
    };
  }

}
