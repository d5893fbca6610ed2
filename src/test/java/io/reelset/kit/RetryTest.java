package io.reelset.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.reelset.spec.RetrySpec;
import io.reelset.vision.ModelException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is tried again, how often, and what is thrown in the end. */
class RetryTest {
  private final Retry threeTimes = Retry.of(new RetrySpec(3, Duration.ofMillis(1)), "reelset/test");

  @Test
  void aTransientErrorIsTriedAgainUntilItPasses() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    String result = threeTimes.call(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IOException("disk busy");
      }
      return "done";
    });
    assertEquals("done", result);
    assertEquals(3, calls.get());
  }

  @Test
  void theLastAttemptsErrorIsThrown() {
    AtomicInteger calls = new AtomicInteger();
    IOException e = assertThrows(IOException.class, () -> threeTimes.call(() -> {
      throw new IOException("attempt " + calls.incrementAndGet());
    }));
    assertEquals("attempt 3", e.getMessage());
  }

  @Test
  void errorsInTheDataAreNotTriedAgain() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(IllegalArgumentException.class, () -> threeTimes.call(() -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("a frame of size 0");
    }));
    assertEquals(1, calls.get());
  }

  @Test
  void ioTimeoutsAndTheEnginesErrorsAreTransientWhereverTheyAreWrapped() {
    assertEquals(true, threeTimes.isTransient(new UncheckedIOException(new IOException("x"))));
    assertEquals(true, threeTimes.isTransient(new RuntimeException(new java.util.concurrent.TimeoutException())));
    assertEquals(false, threeTimes.isTransient(new IllegalStateException("bug")));
    Retry inference = threeTimes.alsoTransient(ai.onnxruntime.OrtException.class);
    assertEquals(true, inference.isTransient(new RuntimeException(new ai.onnxruntime.OrtException("CUDA out of memory"))));
    assertEquals(false, threeTimes.isTransient(new ai.onnxruntime.OrtException("CUDA out of memory")));
    assertEquals(false, inference.isTransient(new ModelException("model m.onnx has no input 'x'")),
        "a misconfigured model fails the same way every time");
  }

  @Test
  void withoutARetryBlockEveryErrorIsThrownAtOnce() {
    AtomicInteger calls = new AtomicInteger();
    assertThrows(IOException.class, () -> Retry.none("reelset/test").run(() -> {
      calls.incrementAndGet();
      throw new IOException("x");
    }));
    assertEquals(1, calls.get());
  }
}
