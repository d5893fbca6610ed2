package io.reelset.compile;

/**
 * Names of the Beam metrics the run reports per stage.
 *
 * <p>Every counter in namespace {@code reelset/<stage id>} is shown for that stage in
 * {@code status.json}; the compiler itself counts {@link #OUTPUT} and {@link #FAILURES}.
 */
public final class StageMetrics {
  public static final String PREFIX = "reelset/";
  /** Elements the stage produced. */
  public static final String OUTPUT = "output";
  /** Items the stage could not process. */
  public static final String FAILURES = "failures";

  private StageMetrics() {}

  public static String namespace(String stageId) {
    return PREFIX + stageId;
  }

  /** The stage id of a namespace, or null if the namespace is not a stage's. */
  public static String stageOf(String namespace) {
    return namespace.startsWith(PREFIX) ? namespace.substring(PREFIX.length()) : null;
  }
}
