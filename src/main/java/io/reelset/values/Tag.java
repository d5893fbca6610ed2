package io.reelset.values;

import java.io.Serializable;
import java.util.Objects;

/**
 * A tag a tagger gave an image, in the WD14 tag list's terms.
 *
 * @param name the tag as it goes into captions (underscores and parentheses as the tagging stage's
 *     settings made them)
 * @param category {@link #GENERAL}, {@link #CHARACTER} or {@link #RATING} (selected_tags.csv's
 *     {@code category} column)
 * @param score the model's confidence, 0–1
 */
public record Tag(String name, int category, float score) implements Serializable {
  public static final int GENERAL = 0;
  public static final int CHARACTER = 4;
  public static final int RATING = 9;

  public Tag {
    Objects.requireNonNull(name, "name");
  }

  public boolean general() {
    return category == GENERAL;
  }

  public boolean character() {
    return category == CHARACTER;
  }

  public boolean rating() {
    return category == RATING;
  }
}
