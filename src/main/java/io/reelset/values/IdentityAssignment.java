package io.reelset.values;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * The identity of one character crop.
 *
 * @param identity a cluster id ({@code identity_001}, largest first), a reference name, or
 *     {@code noise}
 * @param distance from the identity's centre (clusters) or nearest reference image (references);
 *     for noise, from the nearest micro-cluster; NaN when there is nothing to measure against
 * @param source how the identity was decided
 * @param track the shot-aware track the crop belongs to ({@code <video key>#t<n>}), whose identity
 *     it took; empty when the stage links no tracks or for a reference match
 */
@DefaultCoder(IdentityAssignmentCoder.class)
public record IdentityAssignment(CharacterCrop crop, float[] embedding, String identity, double distance,
    Source source, String track) implements Serializable {

  /** How a crop got its identity. */
  public enum Source {
    CLUSTER, REFERENCE, NOISE,
    /** not a character: a whole frame without any, for the dataset's regularisation subset */
    REGULARISATION
  }

  public IdentityAssignment {
    Objects.requireNonNull(crop, "crop");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(track, "track");
  }

  /** Without a track. */
  public IdentityAssignment(CharacterCrop crop, float[] embedding, String identity, double distance, Source source) {
    this(crop, embedding, identity, distance, source, "");
  }

  /** The same assignment of {@code crop} (the crop with tags). */
  public IdentityAssignment withCrop(CharacterCrop crop) {
    return new IdentityAssignment(crop, embedding, identity, distance, source, track);
  }

  public String key() {
    return crop.key();
  }

  public boolean isNoise() {
    return source == Source.NOISE;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IdentityAssignment a && a.crop.equals(crop) && Arrays.equals(a.embedding, embedding)
        && a.identity.equals(identity) && Double.compare(a.distance, distance) == 0 && a.source == source
        && a.track.equals(track);
  }

  @Override
  public int hashCode() {
    return Objects.hash(crop, identity);
  }

  @Override
  public String toString() {
    return "IdentityAssignment{" + crop.key() + " -> " + identity + " (" + source + ", " + distance + ")}";
  }
}
