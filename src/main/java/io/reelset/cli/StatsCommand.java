package io.reelset.cli;

import io.reelset.run.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelset.kit.StageMetrics;
import io.reelset.run.RunStatus;
import io.reelset.run.Runs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reelset stats}: across the runs of a runs directory, how many ended how, how long they
 * took per pipeline, and per stage the items produced, failed (with the failure rate), read back
 * by resumes and retried.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, description = {
    "Statistics across runs: states, durations per pipeline, and per stage items, failure rates,"
        + " items read back on resume and retries."})
final class StatsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Option(names = "--runs-dir", defaultValue = "runs", paramLabel = "DIR",
      description = "Where run directories are (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(names = "--pipeline", paramLabel = "NAME", description = "Only the runs of this pipeline.")
  String pipeline;

  @Option(names = "--json", description = "Print the statistics as JSON.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Totals of one stage over runs. */
  static final class StageTotals {
    String type;
    int runs;
    long output;
    long failures;
    long resumed;
    long retries;

    double failureRate() {
      return output + failures == 0 ? 0 : (double) failures / (output + failures);
    }
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<String> damaged = new ArrayList<>();
    List<Runs.View> runs = Runs.all(runsDir, damaged).stream()
        .filter(v -> pipeline == null || v.status().pipeline().equals(pipeline)).toList();
    damaged.forEach(line -> spec.commandLine().getErr().println("reelset stats: " + line));
    spec.commandLine().getErr().flush();
    Map<String, Integer> states = new TreeMap<>();
    Map<String, List<Double>> durations = new TreeMap<>();
    Map<String, StageTotals> stages = new LinkedHashMap<>();
    for (Runs.View v : runs) {
      states.merge(v.state().text(), 1, Integer::sum);
      if (v.state() == Runs.Shown.COMPLETED) {
        durations.computeIfAbsent(v.status().pipeline(), k -> new ArrayList<>()).add(v.status().totalSeconds());
      }
      for (Map.Entry<String, RunStatus.StageStatus> e : v.status().stages().entrySet()) {
        StageTotals t = stages.computeIfAbsent(v.status().pipeline() + "/" + e.getKey(), k -> new StageTotals());
        RunStatus.StageStatus st = e.getValue();
        t.type = st.type();
        t.runs++;
        t.output += st.counter(StageMetrics.OUTPUT);
        t.failures += st.counter(StageMetrics.FAILURES);
        t.resumed += st.counter(StageMetrics.RESUMED);
        t.retries += st.counter(StageMetrics.RETRIES);
      }
    }
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.put("runs", runs.size());
      ObjectNode byState = root.putObject("states");
      states.forEach(byState::put);
      ObjectNode byPipeline = root.putObject("completed_seconds");
      durations.forEach((name, list) -> {
        List<Double> sorted = list.stream().sorted().toList();
        byPipeline.putObject(name).put("runs", sorted.size()).put("median", sorted.get(sorted.size() / 2))
            .put("min", sorted.get(0)).put("max", sorted.get(sorted.size() - 1))
            .put("total", sorted.stream().mapToDouble(Double::doubleValue).sum());
      });
      ObjectNode byStage = root.putObject("stages");
      stages.forEach((key, t) -> byStage.putObject(key).put("type", t.type).put("runs", t.runs).put("output", t.output)
          .put("failures", t.failures).put("failure_rate", t.failureRate()).put("resumed", t.resumed)
          .put("retries", t.retries));
      out.println(JSON.writeValueAsString(root));
      out.flush();
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out.println("no runs in " + runsDir + (pipeline == null ? "" : " of pipeline " + pipeline));
      out.flush();
      return ExitCodes.OK;
    }
    List<String> stateParts = new ArrayList<>();
    states.forEach((state, n) -> stateParts.add(n + " " + state));
    out.printf("%d runs: %s%n", runs.size(), String.join(", ", stateParts));
    if (!durations.isEmpty()) {
      out.println("completed runs, duration per pipeline:");
      durations.forEach((name, list) -> {
        List<Double> sorted = list.stream().sorted().toList();
        out.printf("  %s: %d runs, median %s, min %s, max %s%n", name, sorted.size(),
            StatusCommand.seconds(sorted.get(sorted.size() / 2)), StatusCommand.seconds(sorted.get(0)),
            StatusCommand.seconds(sorted.get(sorted.size() - 1)));
      });
    }
    int width = Math.max(5, stages.keySet().stream().mapToInt(String::length).max().orElse(5));
    String format = "%-" + width + "s  %-18s  %4s  %10s  %8s  %7s  %9s  %7s%n";
    out.println("per stage, over all runs:");
    out.printf(format, "STAGE", "TYPE", "RUNS", "ITEMS OUT", "FAILED", "RATE", "READ BACK", "RETRIES");
    stages.forEach((key, t) -> out.printf(format, key, t.type, t.runs, t.output, t.failures,
        String.format(Locale.ROOT, "%.1f%%", 100 * t.failureRate()), t.resumed, t.retries));
    out.flush();
    return ExitCodes.OK;
  }
}
