package io.reelset.compile;

import io.reelset.kit.Preflight;
import io.reelset.spec.ConfigSchema;
import io.reelset.spec.StageConfig;
import io.reelset.spec.StageTypeInfo;
import java.util.List;
import java.util.Map;

/**
 * A stage type: its name, its typed config, the values it reads and produces, and how it expands
 * into Beam transforms.
 *
 * <p>A stage is three parts: a config record ({@link io.reelset.spec.Setting} on each component;
 * the schema {@code reelset stages} prints, the defaults and the checks all come from it, rules
 * between fields in {@link io.reelset.spec.ConfigChecks}), a composite transform configured from
 * that record, and this provider, which only maps the one to the other.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.reelset.compile.StageProvider} and put the jar on the classpath.
 * The built-in stages use the same interface.
 *
 * {@code
 * public record UpperCaseConfig(@Setting(value = "repeat the text", defaultValue = "1", min = 1) int times) {}
 *
 * public final class UpperCaseProvider implements StageProvider<UpperCaseConfig> {
 *   public String type() { return "upper_case"; }
 *   public String description() { return "upper-cases every line"; }
 *   public Class<UpperCaseConfig> configType() { return UpperCaseConfig.class; }
 *   public List<String> inputKinds() { return List.of("String"); }
 *   public String outputKind() { return "String"; }
 *   public StageResult expand(StageInputs in, StageContext ctx, UpperCaseConfig config) {
 *     return StageResult.of(in.merged(String.class).apply("Upper", new UpperCase(config)));
 *   }
 * }
 * }
 *
 * @param <C> the stage's config record
 */
public interface StageProvider<C extends Record> {

  /** The name used as {@code type:} in pipeline files. */
  String type();

  /** One line for listings. */
  String description();

  /** The record the stage's {@code config} block is read into; {@link io.reelset.spec.NoConfig} for none. */
  Class<C> configType();

  /** The fields of {@code config}, from {@link #configType()}; {@code output_dir} is added for every stage. */
  default ConfigSchema configSchema() {
    return ConfigSchema.of(configType());
  }

  /** The value kinds this stage reads from upstream; empty for a source stage. */
  List<String> inputKinds();

  /** The value kind this stage produces (a simple class name such as {@code Frame}). */
  String outputKind();

  /** Outputs besides {@code output_dir} that other stages may use, each a path below it. */
  default Map<String, String> outputs() {
    return Map.of();
  }

  /**
   * Builds the stage. Called inside a composite named after the stage id, so step names inside it
   * only need to be unique within the stage. The config has passed every check of its record,
   * rules between fields included.
   */
  StageResult expand(StageInputs inputs, StageContext context, C config);

  /**
   * Files whose content the stage's output depends on besides its config (a model, a mapping file):
   * they go into the stage's fingerprint, so editing one redoes the stage on {@code reelset resume}.
   */
  default List<String> fingerprintFiles(C config) {
    return List.of();
  }

  /**
   * What, besides its config and files, the stage's output depends on and a new release of
   * reelset may change — a built-in algorithm and its parameters: it goes into the stage's
   * fingerprint, so records an earlier version made are not read back as this one's. Empty when
   * there is nothing of the kind.
   */
  default String fingerprintVersion(C config) {
    return "";
  }

  /**
   * Checks what the stage needs from the world before a run starts — inputs that exist and can be
   * read, a model that loads with the configured inputs and outputs, outputs that can be written —
   * and adds an estimate of the bytes it will write. Each problem is one {@link Preflight#problem}
   * line; the run does not start if there is any. {@code validate} never calls it.
   */
  default void preflight(StageContext context, C config, Preflight checks) {}

  /**
   * What a finished run made, in a few lines for the person who ran it (identities found, images
   * written and where to look), read from the stage's output files; and whether the result is
   * empty — an empty dataset or no identity is said loudly, never a quiet {@code done}. Nothing
   * when the stage has nothing to say.
   */
  default Summary summary(StageContext context, C config) {
    return Summary.NONE;
  }

  /** {@link #expand} with the context's config read into {@link #configType()}. */
  default StageResult expand(StageInputs inputs, StageContext context) {
    return expand(inputs, context, context.config().as(configType()));
  }

  /** {@link #fingerprintFiles} of a validated config. */
  default List<String> fingerprintFiles(StageConfig config) {
    return fingerprintFiles(config.as(configType()));
  }

  /** {@link #fingerprintVersion} of a validated config. */
  default String fingerprintVersion(StageConfig config) {
    return fingerprintVersion(config.as(configType()));
  }

  /** {@link #preflight} with the context's config. */
  default void preflight(StageContext context, Preflight checks) {
    preflight(context, context.config().as(configType()), checks);
  }

  /** {@link #summary} with the context's config. */
  default Summary summary(StageContext context) {
    return summary(context, context.config().as(configType()));
  }

  /** A stage's lines at the end of a run; {@code empty} when it made nothing useful. */
  record Summary(List<String> lines, boolean empty) {
    public static final Summary NONE = new Summary(List.of(), false);

    /** {@code 1 identity}, {@code 3 identities}. */
    public static String count(long n, String one, String many) {
      return n + " " + (n == 1 ? one : many);
    }
  }

  default StageTypeInfo info() {
    return new StageTypeInfo(type(), description(), configSchema(), inputKinds(), outputKind(), outputs());
  }
}
