package io.reelset.kit;

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
  /** Items whose complete output was read back from a completion record instead of computed. */
  public static final String RESUMED = "items_resumed";
  /** Items computed and recorded as complete. */
  public static final String RECORDED = "items_recorded";
  /**
   * Calls of a stage's model (a batch, or one item): items computed over this is the batch size the
   * stage really ran at.
   */
  public static final String MODEL_BATCHES = "model_batches";
  /** Transient errors tried again ({@code retry: {attempts, backoff}}). */
  public static final String RETRIES = "retries";

  /**
   * A stage's work done so far, in its own unit: items finished (read back, computed or failed),
   * or for frame extraction the milliseconds of video decoded. The progress line and the ETA
   * read it.
   */
  public static final String PROGRESS_DONE = "progress_done";
  /**
   * The whole of a source stage's work in the unit of {@link #PROGRESS_DONE}, where it can know it
   * (frame extraction: the milliseconds of video it probed); a later stage's whole is its upstream
   * stages' output.
   */
  public static final String PROGRESS_TOTAL = "progress_total";

  private StageMetrics() {}

  public static String namespace(String stageId) {
    return PREFIX + stageId;
  }

  /** The stage id of a namespace, or null if the namespace is not a stage's. */
  public static String stageOf(String namespace) {
    return namespace.startsWith(PREFIX) ? namespace.substring(PREFIX.length()) : null;
  }
}
