package io.reelset.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a run's {@code status.json}: its state, timestamps (ISO-8601, UTC), the runner,
 * and per stage its type and counters from Beam metrics.
 *
 * @param stages by stage id in plan order
 * @param error why the run failed or was cancelled, or null
 * @param pid the process that runs it, so a run whose process died can be told from a live one
 * @param processStart when that process started, so a reused pid is not taken for it
 * @param attempt 1 for the first run, 2 after the first {@code reelset resume}, ...
 * @param workingDir the directory relative paths of the pipeline are taken from
 * @param beamArgs the Beam options the run was started with, which a resume uses again
 * @param firstStartedAt when the first attempt started ({@code startedAt} is this attempt's)
 * @param earlierSeconds the seconds the earlier attempts ran, together
 * @param etaSeconds while the run is live, the seconds it has left as of {@code updatedAt}: the
 *     median of the completed runs of the pipeline in the same runs directory, else the stages'
 *     own estimates at their current rates; null where neither can tell
 * @param etaLowerBound true when {@code etaSeconds} counts only the stages whose rate is known
 *     while others still have work ahead (before they start, nothing tells how long they take);
 *     null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunStatus(
    String runId,
    String pipeline,
    String specFile,
    RunState state,
    String runner,
    String startedAt,
    String updatedAt,
    String finishedAt,
    Double elapsedSeconds,
    Map<String, StageStatus> stages,
    String error,
    Long pid,
    String host,
    String processStart,
    Integer attempt,
    String workingDir,
    java.util.List<String> beamArgs,
    String firstStartedAt,
    Double earlierSeconds,
    Double etaSeconds,
    Boolean etaLowerBound,
    java.util.List<String> warnings) {

  /** Seconds over every attempt: the earlier ones and this one so far. */
  public double totalSeconds() {
    return (earlierSeconds == null ? 0 : earlierSeconds) + (elapsedSeconds == null ? 0 : elapsedSeconds);
  }

  /** The Flink REST address the job was submitted to ({@code --flinkMaster}), or null off a cluster. */
  public String flinkMaster() {
    for (String arg : beamArgs == null ? java.util.List.<String>of() : beamArgs) {
      if (arg.startsWith("--flinkMaster=")) {
        String master = arg.substring("--flinkMaster=".length());
        return master.startsWith("[") ? null : master; // [local], [auto]: no cluster to ask
      }
    }
    return null;
  }

  /** When the run first started. */
  public String firstStart() {
    return firstStartedAt == null ? startedAt : firstStartedAt;
  }

  /** One stage's line in the status. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record StageStatus(String type, Map<String, Long> counters) {
    public StageStatus {
      counters = new LinkedHashMap<>(counters == null ? Map.of() : counters);
    }

    public long counter(String name) {
      return counters.getOrDefault(name, 0L);
    }
  }

  RunStatus with(RunState newState, String now, Map<String, StageStatus> newStages, String newError,
      double elapsed, Double eta, boolean etaIsLowerBound) {
    boolean live = !newState.isTerminal() && eta != null;
    return new RunStatus(runId, pipeline, specFile, newState, runner, startedAt, now,
        newState.isTerminal() ? now : null, elapsed, newStages, newError, pid, host, processStart, attempt,
        workingDir, beamArgs, firstStartedAt, earlierSeconds, live ? eta : null,
        live && etaIsLowerBound ? Boolean.TRUE : null, warnings);
  }

  /** Whether the ETA is a lower bound: stages whose time cannot be told yet have work ahead. */
  public boolean etaIsLowerBound() {
    return Boolean.TRUE.equals(etaLowerBound);
  }

  /** The same status with another state and error, as {@code cancel} or a dead process leaves it. */
  public RunStatus ended(RunState newState, String now, String newError) {
    return new RunStatus(runId, pipeline, specFile, newState, runner, startedAt, now, now, elapsedSeconds, stages,
        newError, pid, host, processStart, attempt, workingDir, beamArgs, firstStartedAt, earlierSeconds, null,
        null, warnings);
  }

  /** The same status with the warnings of a run's end. */
  RunStatus warned(java.util.List<String> newWarnings) {
    return new RunStatus(runId, pipeline, specFile, state, runner, startedAt, updatedAt, finishedAt, elapsedSeconds,
        stages, error, pid, host, processStart, attempt, workingDir, beamArgs, firstStartedAt, earlierSeconds,
        etaSeconds, etaLowerBound, newWarnings.isEmpty() ? null : java.util.List.copyOf(newWarnings));
  }
}
