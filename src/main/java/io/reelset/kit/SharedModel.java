package io.reelset.kit;

import java.io.Serializable;

/**
 * A DoFn's handle on a model shared by every instance in the JVM ({@link SharedModels}: loaded
 * once, refcounted, closed when the last instance lets go) — scio's {@code DoFnWithResource}.
 * The handle travels with the DoFn; the model is loaded on the worker at the first {@link #get}
 * and given back by {@link #release}, which {@code @Teardown} calls.
 *
 * {@code
 * private final SharedModel<OnnxSegmenter> session =
 *     SharedModel.of("segmentation|" + model.key(), () -> OnnxSegmenter.open(model, device, threads));
 * @Setup public void setup() throws Exception { session.get(); }
 * @Teardown public void teardown() { session.release(); }
 * }
 *
 * @param <T> the model
 */
public final class SharedModel<T extends AutoCloseable> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final SharedModels.Opener<T> opener;
  private transient T model;

  private SharedModel(String key, SharedModels.Opener<T> opener) {
    this.key = key;
    this.opener = opener;
  }

  /**
   * A model known by {@code key} (the file and every setting that changes the session), loaded by
   * {@code opener} when no instance in the JVM holds it yet.
   */
  public static <T extends AutoCloseable> SharedModel<T> of(String key, SharedModels.Opener<T> opener) {
    return new SharedModel<>(key, opener);
  }

  /** The model, loaded or shared on first use by this instance. */
  public T get() throws Exception {
    if (model == null) {
      model = SharedModels.acquire(key, opener);
    }
    return model;
  }

  /** Lets go of the model; the last instance to do so closes it. */
  public void release() {
    if (model != null) {
      SharedModels.release(key);
      model = null;
    }
  }
}
