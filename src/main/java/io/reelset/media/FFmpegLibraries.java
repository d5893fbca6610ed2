package io.reelset.media;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avfilter;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.javacpp.Loader;

/**
 * Loads FFmpeg's native libraries, which takes most of a second the first time in a JVM.
 *
 * <p>{@link #preloadInBackground()} starts that work early, while the runner is still starting,
 * so the first video does not wait for it; {@link #load()} waits for it.
 */
public final class FFmpegLibraries {
  private static volatile Thread loader;

  private FFmpegLibraries() {}

  /** Starts loading on a daemon thread unless loading has started already. */
  public static synchronized void preloadInBackground() {
    if (loader == null) {
      loader = new Thread(FFmpegLibraries::load, "reelset-ffmpeg-preload");
      loader.setDaemon(true);
      loader.start();
    }
  }

  /** Loads the libraries (once per JVM; JavaCPP's loader is idempotent) and returns when they are ready. */
  public static void load() {
    Loader.load(avformat.class);
    Loader.load(avcodec.class);
    Loader.load(swscale.class);
  }

  private static volatile boolean filtersLoaded;

  /**
   * Loads FFmpeg's filters too (deinterlacing, tone mapping), once per JVM, when a frame first
   * needs them; later calls return at once rather than asking JavaCPP's loader again.
   */
  public static void loadFilters() {
    if (!filtersLoaded) {
      Loader.load(avfilter.class);
      filtersLoaded = true;
    }
  }
}
