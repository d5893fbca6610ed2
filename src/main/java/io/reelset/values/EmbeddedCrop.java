package io.reelset.values;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/** A character crop and its identity embedding (unit length). */
@DefaultCoder(EmbeddedCropCoder.class)
public record EmbeddedCrop(CharacterCrop crop, float[] embedding) implements Serializable {

  public EmbeddedCrop {
    Objects.requireNonNull(crop, "crop");
    Objects.requireNonNull(embedding, "embedding");
  }

  public String key() {
    return crop.key();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EmbeddedCrop e && e.crop.equals(crop) && Arrays.equals(e.embedding, embedding);
  }

  @Override
  public int hashCode() {
    return crop.hashCode();
  }

  @Override
  public String toString() {
    return "EmbeddedCrop{" + crop.key() + ", " + embedding.length + " dims}";
  }
}
