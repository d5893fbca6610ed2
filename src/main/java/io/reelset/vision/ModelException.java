package io.reelset.vision;

/** A model that is missing, unreadable or not what the configuration says. */
public final class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String message) {
    super(message);
  }
}
