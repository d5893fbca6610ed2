package io.reelset.run;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a run stands; written in lower case to {@code status.json}. */
public enum RunState {
  RUNNING, COMPLETED, FAILED, CANCELLED;

  @JsonValue
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean isTerminal() {
    return this != RUNNING;
  }
}
