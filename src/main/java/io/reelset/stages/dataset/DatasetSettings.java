package io.reelset.stages.dataset;

import java.io.Serializable;
import java.util.Set;

/**
 * A training_data_prep stage's resolved config.
 *
 * @param repeats fixed repeats, or 0 for auto (images × repeats towards {@code repeatsTarget})
 * @param shuffle kohya's shuffle_caption
 * @param coreShare tags on at least this share of an identity's images leave its captions; 0: none do
 * @param keepTags tags never left out (normalised, {@link io.reelset.vision.WdTagger#normalise})
 * @param maskDilate pixels the mask (alpha) grows by with {@code maskedLoss}
 * @param minSide crops with a shorter side below this are too small; 0: none are
 * @param regImages frames without characters in the regularisation subset (kohya is_reg); 0: none
 */
record DatasetSettings(String format, int minImages, int maxImages, boolean keepNoise, int repeats,
    int repeatsTarget, int maxSide, String imageFormat, int background, double validationShare,
    Captions captions, String captionExtension, boolean shuffle, double coreShare, Set<String> keepTags,
    boolean maskedLoss, int maskDilate, boolean relativePaths, int minSide, boolean keepSmall, int regImages,
    String regClassTokens, String classToken,
    IdentityMap identities, String outputDir)
    implements Serializable {

  boolean kohya() {
    return format.equals("kohya");
  }

  /** Whether images of {@code split} are kept apart, outside the training and validation sets. */
  static boolean apart(String split) {
    return !split.equals("train") && !split.equals("validation");
  }

  /** The regularisation subset's folder, relative to the output directory. */
  String regFolder() {
    return "reg/1_" + SafeNames.component(regClassTokens, false);
  }

  /** Whether images of {@code split} get a caption file beside them (kohya, and noise and small kept apart). */
  boolean captioned(String split) {
    return kohya() || split.equals("noise") || split.equals("small");
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
    if (split.equals("small")) {
      return "small/" + word;
    }
    if (!kohya()) {
      return split;
    }
    String cls = classToken.isBlank() ? "" : " " + SafeNames.component(classToken, false);
    return split.equals("train") ? "img/" + repeats + "_" + word + cls : "val/" + word + cls;
  }
}
