package io.reelset.kit;

import io.reelset.spec.RetrySpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;

/**
 * A stage's {@code retry: {attempts, backoff}} applied at the narrowest scope, one item or one
 * batch: a transient error (I/O, a model or runtime error of the inference engine, a timeout) is
 * tried again up to {@code attempts} times in all, waiting {@code backoff}, then twice that, ...
 * (at most a minute). Every retry is counted as {@link StageMetrics#RETRIES}, so the status shows
 * it. Other errors, and the last attempt's error, are thrown as they are.
 *
 * {@code
 * Retry retry = context.retryPolicy();
 * List<float[]> masks = retry.call(() -> segmenter.masks(images));
 * }
 */
public final class Retry implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long MAX_WAIT_MS = 60_000;

  private final int attempts;
  private final long backoffMs;
  private final Counter retries;
  private final List<Class<? extends Throwable>> alsoTransient;

  private Retry(int attempts, long backoffMs, Counter retries, List<Class<? extends Throwable>> alsoTransient) {
    this.attempts = attempts;
    this.backoffMs = backoffMs;
    this.retries = retries;
    this.alsoTransient = List.copyOf(alsoTransient);
  }

  public static Retry of(RetrySpec spec, String namespace) {
    return new Retry(spec.attempts(), spec.backoff().toMillis(), Metrics.counter(namespace, StageMetrics.RETRIES),
        List.of());
  }

  /** No retries: every error is thrown at once. */
  public static Retry none(String namespace) {
    return of(new RetrySpec(1, java.time.Duration.ZERO), namespace);
  }

  /**
   * This policy, where errors of {@code types} are transient as well: the runtime errors of an
   * inference engine ({@code OrtException}), named by the stage that runs it. A model that is
   * missing or misconfigured is not among them: it fails the same way every time.
   */
  @SafeVarargs
  public final Retry alsoTransient(Class<? extends Throwable>... types) {
    List<Class<? extends Throwable>> more = new java.util.ArrayList<>(alsoTransient);
    more.addAll(Arrays.asList(types));
    return new Retry(attempts, backoffMs, retries, more);
  }

  /** Runs {@code work}, trying again after a transient error while attempts are left. */
  public <T> T call(Callable<T> work) throws Exception {
    long wait = backoffMs;
    for (int attempt = 1; ; attempt++) {
      try {
        return work.call();
      } catch (Exception e) {
        if (attempt >= attempts || !isTransient(e)) {
          throw e;
        }
        retries.inc();
        try {
          Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        wait = Math.min(wait * 2, MAX_WAIT_MS);
      }
    }
  }

  /** As {@link #call} for work without a result. */
  public void run(Work work) throws Exception {
    call(() -> {
      work.run();
      return null;
    });
  }

  /** Work that may throw. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  /**
   * I/O errors and timeouts may pass, and the errors of the types this policy was told of
   * ({@link #alsoTransient}); errors in the data or the config will not, and are not retried.
   */
  boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
        return true;
      }
      for (Class<? extends Throwable> type : alsoTransient) {
        if (type.isInstance(t)) {
          return true;
        }
      }
    }
    return false;
  }
}
