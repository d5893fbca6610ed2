package io.reelset.values;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One character cut out of a frame.
 *
 * @param frameKey the frame's key ({@link Frame#key()})
 * @param instance 0 for the largest character of the frame, 1 for the next, ...
 * @param x left of the crop in the frame, in pixels (with the padding)
 * @param y top of the crop in the frame
 * @param areaFraction the character's share of the frame's pixels
 * @param quality mean mask confidence times the share of decisive mask pixels, 0–1
 * @param png the crop: RGBA with the mask as alpha, or flattened on a background colour
 * @param tags what a tagging stage found in the crop, strongest first per category; empty when no
 *     tagging stage ran
 */
@DefaultCoder(CharacterCropCoder.class)
public record CharacterCrop(String frameKey, String videoKey, long ptsMs, int instance, int x, int y,
    int width, int height, int frameWidth, int frameHeight, double areaFraction, double quality,
    byte[] png, List<Tag> tags) implements Serializable {

  public CharacterCrop {
    Objects.requireNonNull(frameKey, "frameKey");
    Objects.requireNonNull(videoKey, "videoKey");
    Objects.requireNonNull(png, "png");
    tags = List.copyOf(tags);
  }

  /** Not tagged. */
  public CharacterCrop(String frameKey, String videoKey, long ptsMs, int instance, int x, int y, int width,
      int height, int frameWidth, int frameHeight, double areaFraction, double quality, byte[] png) {
    this(frameKey, videoKey, ptsMs, instance, x, y, width, height, frameWidth, frameHeight, areaFraction, quality,
        png, List.of());
  }

  /** The same crop with {@code tags}. */
  public CharacterCrop withTags(List<Tag> tags) {
    return new CharacterCrop(frameKey, videoKey, ptsMs, instance, x, y, width, height, frameWidth, frameHeight,
        areaFraction, quality, png, tags);
  }

  /** {@code <frame key>#<instance>}. */
  public String key() {
    return frameKey + "#" + instance;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CharacterCrop c && c.frameKey.equals(frameKey) && c.instance == instance
        && c.x == x && c.y == y && c.width == width && c.height == height && c.quality == quality
        && Arrays.equals(c.png, png) && c.tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(frameKey, instance);
  }

  @Override
  public String toString() {
    return "CharacterCrop{" + key() + ", " + width + "x" + height + " at " + x + "," + y + ", quality " + quality + "}";
  }
}
