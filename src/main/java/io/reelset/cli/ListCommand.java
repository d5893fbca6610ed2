package io.reelset.cli;

import io.reelset.run.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.reelset.kit.StageMetrics;
import io.reelset.run.RunStatus;
import io.reelset.run.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reelset list}: the runs of a runs directory, oldest first, optionally of one state. */
@Command(name = "list", mixinStandardHelpOptions = true, description = {
    "List runs: id, pipeline, state (a run whose process died shows as died), attempt, start, duration,"
        + " items out of the last stage and failures."})
final class ListCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where run directories are (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--state", paramLabel = "STATE",
      description = "Only runs in this state: running, completed, failed, cancelled or died.")
  String state;

  @Option(names = "--json", description = "Print the runs as JSON.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Runs.Shown wanted = null;
    if (state != null) {
      List<String> allowed = Arrays.stream(Runs.Shown.values()).filter(s -> s != Runs.Shown.UNKNOWN)
          .map(Runs.Shown::text).toList();
      if (!allowed.contains(state.toLowerCase(Locale.ROOT))) {
        spec.commandLine().getErr().println("reelset list: --state " + state + " is not a state; use one of "
            + String.join(", ", allowed));
        spec.commandLine().getErr().flush();
        return ExitCodes.BAD_INPUT;
      }
      wanted = Runs.Shown.valueOf(state.toUpperCase(Locale.ROOT));
    }
    Runs.Shown filter = wanted;
    List<String> damaged = new java.util.ArrayList<>();
    List<Runs.View> runs = Runs.all(runsDir, damaged).stream().filter(v -> filter == null || v.state() == filter)
        .toList();
    damaged.forEach(line -> spec.commandLine().getErr().println("reelset list: " + line));
    spec.commandLine().getErr().flush();
    if (json) {
      ArrayNode array = JSON.createArrayNode();
      for (Runs.View v : runs) {
        array.addObject().put("run", v.id()).put("pipeline", v.status().pipeline()).put("state", v.state().text())
            .put("attempt", attempt(v.status())).put("started", v.status().firstStart())
            .put("seconds", v.status().totalSeconds()).put("output", lastOutput(v.status())).put("failures", failures(v.status()))
            .put("dir", v.dir().toString());
      }
      out.println(JSON.writeValueAsString(array));
      out.flush();
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out.println(filter == null ? "no runs in " + runsDir : "no " + filter.text() + " runs in " + runsDir);
      out.flush();
      return ExitCodes.OK;
    }
    int width = Math.max(3, runs.stream().mapToInt(v -> v.id().length()).max().orElse(3));
    int pipeWidth = Math.max(8, runs.stream().mapToInt(v -> v.status().pipeline().length()).max().orElse(8));
    String format = "%-" + width + "s  %-" + pipeWidth + "s  %-9s  %7s  %-20s  %10s  %6s  %8s%n";
    out.printf(format, "RUN", "PIPELINE", "STATE", "ATTEMPT", "STARTED", "DURATION", "OUTPUT", "FAILURES");
    for (Runs.View v : runs) {
      out.printf(format, v.id(), v.status().pipeline(), v.state().text(), attempt(v.status()),
          v.status().firstStart().replaceFirst("\\.\\d+Z$", "Z"), StatusCommand.seconds(v.status().totalSeconds()),
          lastOutput(v.status()), failures(v.status()));
    }
    out.flush();
    return ExitCodes.OK;
  }

  static int attempt(RunStatus s) {
    return s.attempt() == null ? 1 : s.attempt();
  }

  /** Items out of the last stage. */
  static long lastOutput(RunStatus s) {
    RunStatus.StageStatus last = null;
    for (RunStatus.StageStatus st : s.stages().values()) {
      last = st;
    }
    return last == null ? 0 : last.counter(StageMetrics.OUTPUT);
  }

  static long failures(RunStatus s) {
    return s.stages().values().stream().mapToLong(st -> st.counter(StageMetrics.FAILURES)).sum();
  }
}
