package io.reelset.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One item a stage could not process: which stage, which item, what went wrong and why.
 *
 * <p>Failures are values on a stage's failure output, never log lines; the run collects them into
 * {@code <run>/failures/<stage>.jsonl}.
 *
 * @param itemKey the stable key of the item (a video key, a frame key, a crop key)
 * @param error a one-line message a person can act on
 * @param cause the chain of exception types and messages behind it, or empty
 */
@DefaultCoder(FailureCoder.class)
public record Failure(String stageId, String itemKey, String error, String cause)
    implements Serializable {

  public Failure {
    Objects.requireNonNull(stageId, "stageId");
    Objects.requireNonNull(itemKey, "itemKey");
    Objects.requireNonNull(error, "error");
    cause = cause == null ? "" : cause;
  }

  /** A failure whose error is {@code error} and whose cause is the chain of {@code thrown}. */
  public static Failure of(String stageId, String itemKey, String error, Throwable thrown) {
    return new Failure(stageId, itemKey, error, causeChain(thrown));
  }

  /** {@code Type: message <- Type: message}, innermost last; empty for null. */
  public static String causeChain(Throwable thrown) {
    StringBuilder chain = new StringBuilder();
    for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (chain.length() > 0) {
        chain.append(" <- ");
      }
      chain.append(t.getClass().getName());
      if (t.getMessage() != null) {
        chain.append(": ").append(t.getMessage());
      }
      if (chain.length() > 4000) {
        break;
      }
    }
    return chain.toString();
  }
}
