package io.reelset.stages.dataset;

import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.Setting;
import io.reelset.stages.ImageConfig;
import java.io.Serializable;
import java.nio.file.Path;

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
    @Setting(value = "caption template: {trigger}, {name}, {video}, {timestamp}, {index}", defaultValue = "{trigger}")
        String caption,
    @Setting(value = "kohya: the caption files' extension", defaultValue = ".txt") String captionExtension,
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
    String problem = Captions.problem(caption);
    if (problem != null) {
      problems.problem("caption", problem);
    }
    ImageConfig.checkColour(problems, "background", background, null);
  }

  /** The settings the stage's functions read; {@code identities.yaml} is read here, once. */
  DatasetSettings settings(String stageId, String outputDir) {
    int fixed = "auto".equals(repeats) ? 0 : ((Number) repeats).intValue();
    IdentityMap map = identities != null ? IdentityMap.read(Path.of(identities), stageId) : IdentityMap.none();
    return new DatasetSettings(format, minImages, maxImages, noise.equals("keep"), fixed, repeatsTarget, maxSide,
        imageFormat, ImageConfig.colour(background), validation, Captions.of(caption, stageId), captionExtension,
        classToken, map, outputDir);
  }
}
