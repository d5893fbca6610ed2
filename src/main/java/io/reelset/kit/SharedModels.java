package io.reelset.kit;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM's one cache of loaded models (use it through {@link SharedModel}): one loaded model per key per JVM, shared by every DoFn instance that uses it (ONNX Runtime
 * sessions are thread-safe) and closed when the last one lets go. Keys name the model file and
 * every setting that changes the session.
 */
public final class SharedModels {
  private static final Map<String, Entry> MODELS = new HashMap<>();

  /** Loads a model; it travels with the DoFn that uses it, so it is serializable. */
  public interface Opener<T extends AutoCloseable> extends java.io.Serializable {
    T open() throws Exception;
  }

  private static final class Entry {
    final AutoCloseable model;
    int users;

    Entry(AutoCloseable model) {
      this.model = model;
    }
  }

  private SharedModels() {}

  @SuppressWarnings("unchecked")
  static synchronized <T extends AutoCloseable> T acquire(String key, Opener<T> opener) throws Exception {
    Entry entry = MODELS.get(key);
    if (entry == null) {
      entry = new Entry(opener.open());
      MODELS.put(key, entry);
    }
    entry.users++;
    return (T) entry.model;
  }

  static synchronized void release(String key) {
    Entry entry = MODELS.get(key);
    if (entry != null && --entry.users == 0) {
      MODELS.remove(key);
      try {
        entry.model.close();
      } catch (Exception e) {
        // the model is gone either way
      }
    }
  }

  /**
   * Closes every loaded model, each once the inferences in flight on it have ended; later
   * inferences fail instead of starting. For a process that is about to exit: ONNX Runtime's
   * native globals are torn down by the process's exit, and a thread still inside a session's
   * {@code run} then crashes the JVM (SIGSEGV in libonnxruntime.so).
   */
  public static void closeAll() {
    List<Entry> open;
    synchronized (SharedModels.class) {
      open = new ArrayList<>(MODELS.values());
      MODELS.clear();
    }
    for (Entry entry : open) {
      try {
        entry.model.close();
      } catch (Exception e) {
        // the process is exiting; the model is gone either way
      }
    }
  }
}
