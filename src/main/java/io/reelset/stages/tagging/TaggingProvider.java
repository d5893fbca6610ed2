package io.reelset.stages.tagging;

import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.kit.Preflight;
import io.reelset.spec.StageTypeInfo;
import io.reelset.stages.ModelFiles;
import io.reelset.values.CharacterCrop;
import io.reelset.values.IdentityAssignment;
import io.reelset.values.IdentityAssignmentCoder;
import io.reelset.vision.WdTagger;
import java.util.List;
import org.apache.beam.sdk.values.PCollection;

/**
 * Stage {@code tagging}: Danbooru-style tags for every crop from a WD14-format tagger (SmilingWolf's
 * taggers; the user downloads one), after segmentation or clustering; the values go on as they
 * came, with their tags, for the dataset's captions. Without a tagger (none configured and none in
 * {@code models/tagger/}) the stage passes its values on untagged and says so at the end of the run.
 */
public final class TaggingProvider implements StageProvider<TaggingConfig> {
  public static final String TYPE = "tagging";

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public String description() {
    return "tags each crop with a WD14-format tagger (Danbooru tags for captions); no tagger: no tags";
  }

  @Override
  public Class<TaggingConfig> configType() {
    return TaggingConfig.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of(CharacterCrop.class.getSimpleName(), IdentityAssignment.class.getSimpleName());
  }

  @Override
  public String outputKind() {
    return StageTypeInfo.SAME_AS_INPUT;
  }

  @Override
  @SuppressWarnings("unchecked")
  public StageResult expand(StageInputs inputs, StageContext context, TaggingConfig config) {
    PCollection<?> first = inputs.all().values().iterator().next();
    if (config.tagger() == null) {
      return new StageResult(inputs.merged(Object.class), inputs.noFailures());
    }
    if (first.getCoder() instanceof IdentityAssignmentCoder) {
      return StageResult.of(inputs.merged(IdentityAssignment.class)
          .apply("Tag", TagCrops.of(TagCrops.Items.ASSIGNMENTS, config, context)));
    }
    return StageResult.of(inputs.merged(CharacterCrop.class)
        .apply("Tag", TagCrops.of(TagCrops.Items.CROPS, config, context)));
  }

  /** The tagger loads, its tag list matches it, and its input is a WD14 one. */
  @Override
  public void preflight(StageContext context, TaggingConfig config, Preflight checks) {
    WdTagger.Model model = config.tagger();
    if (model != null) {
      ModelFiles.checkLoads(context.stageId(), checks, () -> WdTagger.open(model, config.device(), config.threads()));
    }
  }

  @Override
  public List<String> fingerprintFiles(TaggingConfig config) {
    WdTagger.Model model = config.tagger();
    return model == null ? List.of() : List.of(model.path(), model.tagsPath());
  }

  /** Without a tagger, one line saying that nothing was tagged and how to get tags. */
  @Override
  public Summary summary(StageContext context, TaggingConfig config) {
    if (config.tagger() != null) {
      return Summary.NONE;
    }
    return new Summary(List.of(context.stageId() + ": no tagger, so no tags: captions have no {tags}. Put a WD14"
        + " tagger's model.onnx and selected_tags.csv in " + ModelFiles.home().resolve("models/tagger")
        + " or set config.model (see the README, \"Tags in captions\")"), false);
  }
}
