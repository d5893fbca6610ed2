package io.reelset.values;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What probing a video found.
 *
 * @param durationMs the length of the video stream in milliseconds
 * @param frameRate frames per second as measured or declared, always above 0
 * @param frameRateText the rate as FFmpeg states it, e.g. {@code 30000/1001}
 * @param frameCount frames in the stream, declared or estimated from duration and rate
 * @param codec FFmpeg's name of the video codec, e.g. {@code h264}
 * @param keyframesMs the timestamps of the keyframes, ascending; empty where not scanned
 */
public record VideoInfo(
    long durationMs,
    double frameRate,
    String frameRateText,
    long frameCount,
    String codec,
    int width,
    int height,
    long[] keyframesMs) implements Serializable {

  public VideoInfo {
    keyframesMs = keyframesMs.clone();
  }

  @Override
  public long[] keyframesMs() {
    return keyframesMs.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof VideoInfo o && o.durationMs == durationMs && o.frameRate == frameRate
        && o.frameRateText.equals(frameRateText) && o.frameCount == frameCount && o.codec.equals(codec)
        && o.width == width && o.height == height && Arrays.equals(o.keyframesMs, keyframesMs);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(durationMs) * 31 + Arrays.hashCode(keyframesMs);
  }

  @Override
  public String toString() {
    return String.format("%s %dx%d, %s fps, %d frames, %.3f s, %d keyframes", codec, width, height,
        frameRateText, frameCount, durationMs / 1000.0, keyframesMs.length);
  }
}
