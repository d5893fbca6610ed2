package io.reelset.compile;

import io.reelset.spec.RetrySpec;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
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
 * Retry retry = Retry.of(context);
 * List<float[]> masks = retry.call(() -> segmenter.masks(images));
 * }
 */
public final class Retry implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final long MAX_WAIT_MS = 60_000;

  private final int attempts;
  private final long backoffMs;
  private final Counter retries;

  private Retry(int attempts, long backoffMs, String namespace) {
    this.attempts = attempts;
    this.backoffMs = backoffMs;
    this.retries = Metrics.counter(namespace, StageMetrics.RETRIES);
  }

  /** The stage's retry policy, counting in its metrics namespace. */
  public static Retry of(StageContext context) {
    RetrySpec spec = context.retry() == null ? RetrySpec.DEFAULT : context.retry();
    return of(spec, context.metricsNamespace());
  }

  public static Retry of(RetrySpec spec, String namespace) {
    return new Retry(spec.attempts(), spec.backoff().toMillis(), namespace);
  }

  /** No retries: every error is thrown at once. */
  public static Retry none(String namespace) {
    return new Retry(1, 0, namespace);
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
   * I/O errors, timeouts and errors of the inference engine (ONNX Runtime, a model that failed
   * to run) may pass; errors in the data or the config will not, and are not retried.
   */
  static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof TimeoutException) {
        return true;
      }
      String name = t.getClass().getName();
      if (name.equals("ai.onnxruntime.OrtException") || name.equals("io.reelset.vision.ModelException")) {
        return true;
      }
    }
    return false;
  }
}
