package io.reelset.media;

/** A video that cannot be opened, probed or decoded, with a reason a person can act on. */
public final class VideoException extends Exception {
  private static final long serialVersionUID = 1L;

  public VideoException(String message) {
    super(message);
  }

  public VideoException(String message, Throwable cause) {
    super(message, cause);
  }
}
