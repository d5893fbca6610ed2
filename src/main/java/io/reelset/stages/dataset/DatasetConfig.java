package io.reelset.stages.dataset;

import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.Setting;
import io.reelset.stages.ImageConfig;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import io.reelset.vision.WdTagger;

/** The config of stage {@code training_data_prep}. */
public record DatasetConfig(
    @Setting(value = "the dataset layout", choices = {"kohya", "hf"}, defaultValue = "kohya") String format,
    @Setting(value = "identities with fewer crops are left out", defaultValue = "5", min = 1, max = 1_000_000)
        int minImages,
    @Setting(value = "at most this many per identity, the most diverse", defaultValue = "200", min = 1,
        max = 1_000_000) int maxImages,
    @Setting(value = "crops of no identity: drop them, or keep them apart in noise/", choices = {"drop", "keep"},
        defaultValue = "drop") String noise,
    @Setting(value = "kohya repeats per identity: a number, or auto", defaultValue = "auto") Object repeats,
    @Setting(value = "repeats auto: images x repeats comes nearest this", defaultValue = "200", min = 1,
        max = 1_000_000) int repeatsTarget,
    @Setting(value = "the longer side at most; sizes become multiples of 64", defaultValue = "1024", min = 64,
        max = 8192) int maxSide,
    @Setting(value = "how images are written", choices = {"png", "jpg", "webp"}, defaultValue = "png")
        String imageFormat,
    @Setting(value = "#RRGGBB that transparent crop pixels become", defaultValue = "#FFFFFF") String background,
    @Setting(value = "share of each identity's images in the validation split (by key hash)", defaultValue = "0.1",
        min = 0, max = 0.9) double validation,
    @Setting(value = "caption template, or a list of them (a line each, kohya's enable_wildcard): {trigger},"
        + " {name}, {count}, {character_tags}, {tags}, {rating}, {video}, {timestamp}, {index}",
        defaultValue = "{trigger}") Object caption,
    @Setting(value = "kohya: the caption files' extension", defaultValue = ".txt") String captionExtension,
    @Setting(value = "kohya: shuffle the caption's tags each step: true, false, or auto (when captions have"
        + " {tags} or {character_tags})", defaultValue = "auto") Object shuffleCaption,
    @Setting(value = "kohya: what separates the fixed front of a caption from the shuffled tags (e.g. |||);"
        + " empty: the tokens before the first tag list stay in front (keep_tokens)", defaultValue = "")
        String keepTokensSeparator,
    @Setting(value = "tags on at least this share of an identity's images are its core tags, left out of its"
        + " captions (the trigger absorbs them); 0 keeps every tag", defaultValue = "0.5", min = 0, max = 1)
        double coreTagShare,
    @Setting(value = "tags never left out as core tags", defaultValue = "[]") java.util.List<String> keepTags,
    @Setting(value = "kohya: write RGBA images whose alpha is the segmentation mask, and alpha_mask = true"
        + " (train with --masked_loss)", defaultValue = "false") boolean maskedLoss,
    @Setting(value = "masked_loss: grow the mask by this many pixels", defaultValue = "0", min = 0, max = 256)
        int maskDilate,
    @Setting(value = "kohya: image_dir in dataset_config.toml: absolute, or relative to the dataset folder (to"
        + " move it to the training machine; run the trainer from there)", choices = {"absolute", "relative"},
        defaultValue = "absolute") String paths,
    @Setting(value = "crops whose shorter side is below this many pixels are too small to train on (the trainer"
        + " would up-scale them): a number, or auto (max_side / 4)", defaultValue = "auto") Object minSide,
    @Setting(value = "crops too small: drop them, or keep them apart in small/", choices = {"drop", "keep"},
        defaultValue = "drop") String small,
    @Setting(value = "kohya: a regularisation subset (is_reg) of this many frames without characters, chosen"
        + " evenly by key; needs the frame_extraction stage in depends_on; 0: none", defaultValue = "0", min = 0,
        max = 100_000) int regImages,
    @Setting(value = "kohya: the regularisation images' class_tokens and caption", defaultValue = "scenery")
        String regClassTokens,
    @Setting(value = "kohya: the class word after the trigger", defaultValue = "character") String classToken,
    @Setting("identities.yaml: rename, merge or drop clusters") String identities,
    @Setting("clusters.json to show in report.html, e.g. {identities.clusters}") String clusterReport,
    @Setting(value = "write into a non-empty output_dir that no reelset run wrote (its files are kept; a file named"
        + " like one reelset writes is replaced)", defaultValue = "false") boolean force)
    implements ConfigChecks, Serializable {

  @Override
  public void check(ConfigRule.Checked problems) {
    if (!("auto".equals(repeats) || repeats instanceof Long n && n >= 1 && n <= 10_000)) {
      problems.problem("repeats", "expected auto or a whole number from 1 to 10000, got " + repeats);
    }
    if (!captionExtension.matches("\\.[A-Za-z0-9]{1,10}")) {
      problems.problem("caption_extension", "'" + captionExtension
          + "' is not an extension; write one like .txt or .caption");
    }
    List<String> templates = templates();
    if (templates == null) {
      problems.problem("caption", "expected a template or a list of templates, got " + caption);
    } else {
      for (String template : templates) {
        String problem = Captions.problem(template);
        if (problem != null) {
          problems.problem("caption", problem);
        }
      }
      if (!keepTokensSeparator.isEmpty() && !templates.get(0).contains(keepTokensSeparator)) {
        problems.problem("keep_tokens_separator", "'" + keepTokensSeparator + "' is not in the caption template '"
            + templates.get(0) + "'; put it between the fixed front and the tags, e.g. '{trigger}, {count} "
            + keepTokensSeparator + " {tags}'");
      }
    }
    if (!(shuffleCaption instanceof Boolean || "auto".equals(shuffleCaption))) {
      problems.problem("shuffle_caption", "expected true, false or auto, got " + shuffleCaption);
    }
    if (!("auto".equals(minSide) || minSide instanceof Long n && n >= 0 && n <= 8192)) {
      problems.problem("min_side", "expected auto or a whole number of pixels from 0 to 8192, got " + minSide);
    }
    if (maskedLoss && !imageFormat.equals("png")) {
      problems.problem("masked_loss", "needs image_format: png (the mask is the image's alpha); got " + imageFormat);
    }
    if (regImages > 0 && !format.equals("kohya")) {
      problems.problem("reg_images", "is a kohya option (is_reg in dataset_config.toml); format is " + format);
    }
    if (regImages > 0 && regClassTokens.isBlank()) {
      problems.problem("reg_class_tokens", "name the class of the regularisation images, e.g. scenery");
    }
    if (maskedLoss && !format.equals("kohya")) {
      problems.problem("masked_loss", "is a kohya option (alpha_mask in dataset_config.toml); format is " + format);
    }
    ImageConfig.checkColour(problems, "background", background, null);
  }

  /** The caption templates, or null when {@code caption} is neither a string nor a list of strings. */
  List<String> templates() {
    if (caption instanceof String one) {
      return List.of(one);
    }
    if (caption instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    return null;
  }

  /** The settings the stage's functions read; {@code identities.yaml} is read here, once. */
  DatasetSettings settings(String stageId, String outputDir) {
    int fixed = "auto".equals(repeats) ? 0 : ((Number) repeats).intValue();
    IdentityMap map = identities != null ? IdentityMap.read(Path.of(identities), stageId) : IdentityMap.none();
    Captions captions = Captions.of(templates(), keepTokensSeparator, stageId);
    boolean shuffle = "auto".equals(shuffleCaption) ? captions.usesTags() : (Boolean) shuffleCaption;
    int smallest = "auto".equals(minSide) ? maxSide / 4 : ((Number) minSide).intValue();
    Set<String> kept = new HashSet<>();
    keepTags.forEach(tag -> kept.add(WdTagger.normalise(tag)));
    return new DatasetSettings(format, minImages, maxImages, noise.equals("keep"), fixed, repeatsTarget, maxSide,
        imageFormat, ImageConfig.colour(background), validation, captions, captionExtension, shuffle,
        coreTagShare, kept, maskedLoss, maskDilate, paths.equals("relative"), smallest, small.equals("keep"),
        regImages, regClassTokens, classToken, map, outputDir);
  }
}
