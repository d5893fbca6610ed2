package io.reelset.stages.dataset;

import java.io.Serializable;

/**
 * A training_data_prep stage's resolved config.
 *
 * @param repeats fixed repeats, or 0 for auto (images × repeats towards {@code repeatsTarget})
 */
record DatasetSettings(String format, int minImages, int maxImages, boolean keepNoise, int repeats,
    int repeatsTarget, int maxSide, String imageFormat, int background, double validationShare,
    Captions captions, String captionExtension, String classToken, IdentityMap identities, String outputDir)
    implements Serializable {

  boolean kohya() {
    return format.equals("kohya");
  }

  /** Whether images of {@code split} get a caption file beside them (kohya, and noise kept apart). */
  boolean captioned(String split) {
    return kohya() || split.equals("noise");
  }

  String extension() {
    return imageFormat.equals("jpg") ? ".jpg" : "." + imageFormat;
  }

  /** The folder, relative to the output directory, of an identity's images in a split. */
  String folder(String split, int repeats, String trigger) {
    String word = SafeNames.component(trigger, false);
    if (split.equals("noise")) {
      return "noise";
    }
    if (!kohya()) {
      return split;
    }
    String cls = classToken.isBlank() ? "" : " " + SafeNames.component(classToken, false);
    return split.equals("train") ? "img/" + repeats + "_" + word + cls : "val/" + word + cls;
  }
}
