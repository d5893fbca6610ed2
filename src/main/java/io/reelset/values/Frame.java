package io.reelset.values;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One frame taken from a video.
 *
 * @param videoKey the key of the video ({@link VideoFile#key()})
 * @param index the frame's index in the video: {@code round(seconds × frame rate)}
 * @param ptsMs its timestamp in milliseconds from the start of the video
 * @param format the image encoding, {@code jpg} or {@code png}
 * @param image the encoded image
 * @param dHash the 64-bit difference hash of the frame, for near-duplicate checks
 * @param sceneScore how much it differs from the frame before ({@code SceneDetector}), when the
 *     sampling computed it (scene and shots modes), else 0
 * @param sharpness its focus measure ({@code FrameHashes.sharpness}) when the sampling computed
 *     it (shots mode), else 0
 */
@DefaultCoder(FrameCoder.class)
public record Frame(String videoKey, long index, long ptsMs, int width, int height, String format,
    byte[] image, long dHash, double sceneScore, double sharpness) implements Serializable {

  public Frame {
    Objects.requireNonNull(videoKey, "videoKey");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(image, "image");
  }

  /** A frame without scene score and sharpness. */
  public Frame(String videoKey, long index, long ptsMs, int width, int height, String format, byte[] image,
      long dHash) {
    this(videoKey, index, ptsMs, width, height, format, image, dHash, 0, 0);
  }

  /** {@code <video key>@<pts ms, 9 digits>}: unique per frame, sorts by time within a video. */
  public String key() {
    return videoKey + "@" + paddedPts();
  }

  /** The timestamp as a 9-digit file name stem, so that files sort by time. */
  public String paddedPts() {
    return String.format(Locale.ROOT, "%09d", ptsMs);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Frame f && f.videoKey.equals(videoKey) && f.index == index
        && f.ptsMs == ptsMs && f.width == width && f.height == height && f.format.equals(format)
        && f.dHash == dHash && f.sceneScore == sceneScore && f.sharpness == sharpness
        && Arrays.equals(f.image, image);
  }

  @Override
  public int hashCode() {
    return Objects.hash(videoKey, ptsMs, dHash);
  }

  @Override
  public String toString() {
    return "Frame{" + key() + ", " + width + "x" + height + " " + format + ", " + image.length + " bytes}";
  }
}
