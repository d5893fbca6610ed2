package io.reelset.run;

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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
    String host) {

  /** One stage's line in the status. */
  public record StageStatus(String type, Map<String, Long> counters) {
    public StageStatus {
      counters = new LinkedHashMap<>(counters);
    }
  }

  RunStatus with(RunState newState, String now, Map<String, StageStatus> newStages, String newError,
      double elapsed) {
    return new RunStatus(runId, pipeline, specFile, newState, runner, startedAt, now,
        newState.isTerminal() ? now : null, elapsed, newStages, newError, pid, host);
  }
}
