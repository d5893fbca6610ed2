package io.reelset.cli;

import io.reelset.run.ExitCodes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelset.kit.StageMetrics;
import io.reelset.run.FlinkJobs;
import io.reelset.run.RunStatus;
import io.reelset.run.Runs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code reelset status RUN}: a run's state (a run whose process died shows as {@code died}),
 * per-stage progress and counters, failures, retries and an ETA; for a Flink run, the job's state
 * from the cluster's REST API.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = {
    "Show a run's state, per-stage progress, failures and ETA (live, died, finished or cancelled).",
    "Exit code: 0, or 2 when there is no such run."})
final class StatusCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Mixin RunArgument target;

  @Option(names = "--json", description = "Print status.json with the state as shown, the ETA and Flink's view.")
  boolean json;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Runs.View view = target.find("status", err);
    if (view == null) {
      return ExitCodes.BAD_INPUT;
    }
    RunStatus s = view.status();
    Double eta = view.state() == Runs.Shown.RUNNING ? eta(view) : null;
    String flink = flink(s, view.id());
    Map<String, Long> failureLines = failureLines(view.dir());
    if (json) {
      ObjectNode node = JSON.valueToTree(s);
      node.put("shown_state", view.state().text());
      if (view.note() != null) {
        node.put("note", view.note());
      }
      if (eta != null) {
        node.put("eta_seconds", eta); // as of now, not as of the last update
      }
      if (flink != null) {
        node.put("flink", flink);
      }
      out.println(JSON.writeValueAsString(node));
      out.flush();
      return ExitCodes.OK;
    }
    out.printf("run %s (pipeline %s, attempt %d)%n", view.id(), s.pipeline(), s.attempt() == null ? 1 : s.attempt());
    double seconds = view.state() == Runs.Shown.RUNNING
        ? Duration.between(Instant.parse(s.startedAt()), Instant.now()).toMillis() / 1000.0 : view.seconds();
    out.printf("  state:    %s%s%n", view.state().text(), view.note() == null ? "" : " — " + view.note());
    out.printf("  started:  %s, %s%s%n", s.startedAt(), seconds(seconds),
        s.finishedAt() != null ? " (finished " + s.finishedAt() + ")" : " so far");
    if (s.earlierSeconds() != null && s.earlierSeconds() > 0) {
      out.printf("  earlier:  attempts since %s ran %s before this one%n", s.firstStart(), seconds(s.earlierSeconds()));
    }
    if (view.state() == Runs.Shown.RUNNING) {
      out.printf("  ETA:      %s%n", eta == null ? "unknown (no completed run of this pipeline to go by, and no"
          + " stage's rate known yet)" : s.etaIsLowerBound() ? "at least " + seconds(eta) + " left (later stages"
          + " have not started: how long they take is not known yet)" : "about " + seconds(eta) + " left");
    }
    if (s.warnings() != null) {
      s.warnings().forEach(w -> out.printf("  warning:  %s%n", w));
    }
    out.printf("  runner:   %s, process %s on %s%n", s.runner(), s.pid(), s.host());
    if (flink != null) {
      out.printf("  flink:    %s%n", flink);
    }
    if (s.error() != null) {
      out.printf("  error:    %s%n", s.error());
    }
    out.println("  stages:");
    int width = s.stages().keySet().stream().mapToInt(String::length).max().orElse(5);
    for (Map.Entry<String, RunStatus.StageStatus> stage : s.stages().entrySet()) {
      RunStatus.StageStatus st = stage.getValue();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "    %-" + width + "s  %-20s %6d out",
          stage.getKey(), st.type(), st.counter(StageMetrics.OUTPUT)));
      line.append(String.format(Locale.ROOT, ", %d failed", st.counter(StageMetrics.FAILURES)));
      if (st.counter(StageMetrics.RESUMED) + st.counter(StageMetrics.RECORDED) > 0) {
        line.append(String.format(Locale.ROOT, ", items %d read back / %d done now",
            st.counter(StageMetrics.RESUMED), st.counter(StageMetrics.RECORDED)));
      }
      if (st.counter(StageMetrics.RETRIES) > 0) {
        line.append(String.format(Locale.ROOT, ", %d retries", st.counter(StageMetrics.RETRIES)));
      }
      out.println(line);
      List<String> others = new ArrayList<>();
      st.counters().forEach((name, value) -> {
        if (!List.of(StageMetrics.OUTPUT, StageMetrics.FAILURES, StageMetrics.RESUMED, StageMetrics.RECORDED,
            StageMetrics.RETRIES).contains(name)) {
          others.add(name + " " + value);
        }
      });
      if (!others.isEmpty()) {
        out.printf("    %-" + width + "s  %s%n", "", String.join(", ", others));
      }
    }
    if (!failureLines.isEmpty()) {
      List<String> parts = new ArrayList<>();
      failureLines.forEach((stage, n) -> parts.add(stage + " " + n));
      out.printf("  failures: %s, in %s%n", String.join(", ", parts), view.dir().resolve("failures"));
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** Seconds left, from the ETA the run wrote into status.json, less the time since it wrote it; null if none. */
  private static Double eta(Runs.View view) {
    RunStatus s = view.status();
    if (s.etaSeconds() == null || s.updatedAt() == null) {
      return null;
    }
    double since = Duration.between(Instant.parse(s.updatedAt()), Instant.now()).toMillis() / 1000.0;
    return Math.max(0, s.etaSeconds() - since);
  }

  /** The job's state on the Flink cluster, or null for a run that is not on one. */
  static String flink(RunStatus s, String runId) {
    if (s.flinkMaster() == null) {
      return null;
    }
    try {
      FlinkJobs.Job job = new FlinkJobs(s.flinkMaster()).find(runId);
      if (job == null) {
        return "no job named " + runId + " on " + s.flinkMaster();
      }
      String tasks = job.taskSummary();
      return "job " + job.id() + " " + job.state() + (tasks.isEmpty() ? "" : " (tasks: " + tasks + ")")
          + " on " + s.flinkMaster();
    } catch (IOException e) {
      return "cannot ask " + s.flinkMaster() + ": " + e.getMessage();
    }
  }

  /** Lines per stage in failures/*.jsonl. */
  static Map<String, Long> failureLines(Path runDir) {
    Map<String, Long> lines = new java.util.TreeMap<>();
    Path dir = runDir.resolve("failures");
    if (!Files.isDirectory(dir)) {
      return lines;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList()) {
        try (Stream<String> l = Files.lines(file)) {
          lines.put(file.getFileName().toString().replaceFirst("\\.jsonl$", ""), l.count());
        }
      }
    } catch (IOException e) {
      return lines;
    }
    return lines;
  }

  static String seconds(double s) {
    if (s < 120) {
      return String.format(Locale.ROOT, "%.0f s", s);
    }
    if (s < 7200) {
      return String.format(Locale.ROOT, "%d min %02d s", (long) s / 60, (long) s % 60);
    }
    return String.format(Locale.ROOT, "%d h %02d min", (long) s / 3600, (long) s % 3600 / 60);
  }
}
