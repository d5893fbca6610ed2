package io.reelset.spec;

import java.util.List;
import java.util.Map;

/**
 * What validation needs to know about a stage type: its config schema, the kinds of values it
 * reads and produces, and the outputs other stages may refer to as {@code {stage_id.NAME}}.
 *
 * @param inputKinds the value kinds it accepts from upstream stages; empty for a source stage
 * @param outputKind the value kind it produces; {@link #SAME_AS_INPUT} for a stage that passes its
 *     input on with something added (tags)
 * @param outputs declared outputs besides {@code output_dir}, each a path relative to it
 */
public record StageTypeInfo(
    String type,
    String description,
    ConfigSchema schema,
    List<String> inputKinds,
    String outputKind,
    Map<String, String> outputs) {

  public static final String OUTPUT_DIR = "output_dir";
  /** The output kind of a stage whose values are the ones it reads, with something added. */
  public static final String SAME_AS_INPUT = "SameAsInput";

  public StageTypeInfo {
    inputKinds = List.copyOf(inputKinds);
    outputs = Map.copyOf(outputs);
  }

  /** Whether the stage produces values of the kind it reads. */
  public boolean passesInputOn() {
    return SAME_AS_INPUT.equals(outputKind);
  }

  public boolean isSource() {
    return inputKinds.isEmpty();
  }

  /** The schema including the {@code output_dir} field every stage has. */
  public ConfigSchema schemaWithCommonFields() {
    return schema.with(new ConfigField(OUTPUT_DIR, FieldType.STRING, false, null,
        "where the stage writes its files; relative paths are under the run directory,"
            + " default <run>/<stage id>", null, null, null, null, null));
  }

  /** The names {@code {stage_id.NAME}} may use, sorted. */
  public List<String> outputNames() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(OUTPUT_DIR), outputs.keySet().stream())
        .sorted()
        .toList();
  }
}
