package io.reelset.kit;

import java.util.HashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JVM's one cache of native resources shared by the DoFn instances of a worker, the only
 * JVM-wide mutable state of the pipeline code:
 *
 * <ul>
 *   <li>loaded models (use them through {@link SharedModel}): one per key, shared by every
 *       instance that uses it (ONNX Runtime sessions are thread-safe) and closed when the last one
 *       lets go; keys name the model file and every setting that changes the session;
 *   <li>parked resources: idle ones (an open decoder stopped where a runner split its work) kept
 *       under a key for whichever instance continues there, taken once, the oldest closed beyond
 *       a capacity.
 * </ul>
 *
 * {@link #closeAll} closes both when the process is about to exit.
 */
public final class SharedModels {
  private static final Map<String, Entry> MODELS = new HashMap<>();
  private static final Map<String, AutoCloseable> PARKED = new java.util.LinkedHashMap<>();
  /**
   * Set by {@link #refuseLoads} or {@link #closeAll}: the process is exiting, and no model may be
   * loaded any more. Volatile: {@link #refuseLoads} sets it without the lock a load holds.
   */
  private static volatile boolean closed;

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
    if (closed) {
      // loading a model while the process exits crashes it (SIGBUS in ONNX Runtime's session creation)
      throw new IllegalStateException("the process is exiting: no model is loaded any more");
    }
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
   * From now on no model is loaded: for a process that got a signal, whose workers may still
   * start stages (and load their models) while the run is being cancelled. Takes no lock, so it
   * acts at once, even while a load is in progress; {@link #closeAll} follows.
   */
  public static void refuseLoads() {
    closed = true;
  }

  /**
   * Closes every loaded model, each once the inferences in flight on it have ended; later
   * inferences fail instead of starting, and no model is loaded any more (a load in progress ends
   * first: loads hold the same lock). For a process that is about to exit: ONNX Runtime's native
   * globals are torn down by the process's exit, and a thread still inside a session's {@code run}
   * (SIGSEGV) or still creating a session (SIGBUS) then crashes the JVM.
   */
  public static void closeAll() {
    List<AutoCloseable> open = new ArrayList<>();
    synchronized (SharedModels.class) {
      closed = true;
      MODELS.values().forEach(entry -> open.add(entry.model));
      MODELS.clear();
      open.addAll(PARKED.values());
      PARKED.clear();
    }
    open.forEach(SharedModels::close);
  }

  /**
   * Parks an idle resource under {@code key} for a later {@link #take}. Returns what was parked
   * under that key before, not closed (it may hold the same native object); when the key was new
   * and more than {@code capacity} wait, the oldest is closed.
   */
  public static AutoCloseable park(String key, AutoCloseable resource, int capacity) {
    AutoCloseable previous;
    AutoCloseable evicted = null;
    synchronized (SharedModels.class) {
      previous = PARKED.put(key, resource);
      if (previous == null && PARKED.size() > capacity) {
        java.util.Iterator<AutoCloseable> oldest = PARKED.values().iterator();
        evicted = oldest.next();
        oldest.remove();
      }
    }
    close(evicted);
    return previous;
  }

  /** The resource parked under {@code key}, now the caller's to use and close; null if none. */
  public static synchronized AutoCloseable take(String key) {
    return PARKED.remove(key);
  }

  private static void close(AutoCloseable resource) {
    if (resource == null) {
      return;
    }
    try {
      resource.close();
    } catch (Exception e) {
      // gone either way
    }
  }
}
