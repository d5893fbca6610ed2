package io.reelset.stages.tagging;

import io.reelset.spec.ConfigChecks;
import io.reelset.spec.ConfigRule;
import io.reelset.spec.Setting;
import io.reelset.stages.ModelFiles;
import io.reelset.vision.OnnxSegmenter;
import io.reelset.vision.WdTagger;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;

/** The config of stage {@code tagging}. */
public record TaggingConfig(
    @Setting("a WD14-format tagger's model.onnx (e.g. SmilingWolf/wd-swinv2-tagger-v3); default "
        + DEFAULT_MODEL + " when it is there, else no tags") String model,
    @Setting("its selected_tags.csv; default the one beside the model") String tags,
    @Setting("the model's image input; default its only one") String inputName,
    @Setting("the model's scores output; default its only one") String outputName,
    @Setting(value = "the model's square input size; 0 reads it from the model (448 when dynamic)",
        defaultValue = "0", min = 0, max = 4096) int inputSize,
    @Setting(value = "general tags at or above this score", defaultValue = "0.35", min = 0, max = 1)
        double generalThreshold,
    @Setting(value = "character tags at or above this score", defaultValue = "0.85", min = 0, max = 1)
        double characterThreshold,
    @Setting(value = "add the rating tag with the highest score (general, sensitive, questionable, explicit)",
        defaultValue = "false") boolean ratings,
    @Setting(value = "tags never given, with or without underscores", defaultValue = "[]") List<String> undesired,
    @Setting(value = "write underscores as spaces (kaomoji such as ^_^ keep theirs)", defaultValue = "true")
        boolean replaceUnderscores,
    @Setting(value = "write ( and ) as \\( and \\) for prompt syntax", defaultValue = "false")
        boolean escapeParentheses,
    @Setting(value = "at most this many general tags per crop, the strongest; 0 for no limit", defaultValue = "0",
        min = 0, max = 1000) int maxTags,
    @Setting(value = "crops per inference call", defaultValue = "8", min = 1, max = 256) int batchSize,
    @Setting(value = "ONNX Runtime intra-op threads; 0 lets it choose", defaultValue = "0", min = 0, max = 256)
        int threads,
    @Setting(value = "where inference runs: auto uses CUDA when possible", defaultValue = "auto")
        OnnxSegmenter.Device device)
    implements ConfigChecks, Serializable {

  /** Where a tagger is found when none is configured, under reelset's home. */
  public static final String DEFAULT_MODEL = "models/tagger/model.onnx";

  @Override
  public void check(ConfigRule.Checked problems) {
    if (model == null && tags != null) {
      problems.problem("tags", "a tag list needs its model; set model as well");
    }
  }

  /** The tagger: the configured one, the default one when it is there, or null (no tags). */
  WdTagger.Model tagger() {
    String path = model;
    if (path == null) {
      Path fallback = ModelFiles.home().resolve(DEFAULT_MODEL);
      if (!Files.isRegularFile(fallback)) {
        return null;
      }
      path = fallback.toString();
    }
    String list = tags != null ? tags : Path.of(path).resolveSibling("selected_tags.csv").toString();
    return new WdTagger.Model(path, list, inputName, outputName, inputSize);
  }

  WdTagger.Selection selection() {
    return new WdTagger.Selection(generalThreshold, characterThreshold, ratings, new HashSet<>(undesired),
        replaceUnderscores, escapeParentheses, maxTags);
  }
}
