package io.reelset.compile;

import io.reelset.spec.ConfigSchema;
import io.reelset.spec.StageConfig;
import io.reelset.spec.StageTypeInfo;
import io.reelset.values.Failure;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.values.PCollection;

/**
 * A stage type: its name, the config it accepts, the values it reads and produces, and how it
 * expands into Beam transforms.
 *
 * <p>Providers are found with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.reelset.compile.StageProvider} and put the jar on the classpath.
 * The built-in stages use the same interface.
 *
 * {@code
 * public final class UpperCaseProvider implements StageProvider {
 *   public String type() { return "upper_case"; }
 *   public String description() { return "upper-cases every line"; }
 *   public ConfigSchema configSchema() { return ConfigSchema.empty(); }
 *   public List<String> inputKinds() { return List.of("String"); }
 *   public String outputKind() { return "String"; }
 *   public StageResult expand(StageInputs in, StageContext ctx) {
 *     PCollection<String> out = in.merged(String.class)
 *         .apply("Upper", MapElements.into(strings()).via(String::toUpperCase));
 *     return new StageResult(out, in.noFailures());
 *   }
 * }
 * }
 */
public interface StageProvider {

  /** The name used as {@code type:} in pipeline files. */
  String type();

  /** One line for listings. */
  String description();

  /** The fields of {@code config}; {@code output_dir} is added for every stage. */
  ConfigSchema configSchema();

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
   * only need to be unique within the stage. The config has been validated against
   * {@link #configSchema()}; a combination of fields that is invalid is reported by throwing
   * {@link IllegalArgumentException} with a message naming the fields.
   */
  StageResult expand(StageInputs inputs, StageContext context);

  /**
   * Files whose content the stage's output depends on besides its config (a model, a mapping file):
   * they go into the stage's fingerprint, so editing one redoes the stage on {@code reelset resume}.
   */
  default List<String> fingerprintFiles(StageConfig config) {
    return List.of();
  }

  /**
   * What, besides its config and files, the stage's output depends on and a new release of
   * reelset may change — a built-in algorithm and its parameters: it goes into the stage's
   * fingerprint, so records an earlier version made are not read back as this one's. Empty when
   * there is nothing of the kind.
   */
  default String fingerprintVersion(StageConfig config) {
    return "";
  }

  /**
   * Checks what the stage needs before a run starts — inputs that exist and can be read, outputs
   * that can be written — and adds an estimate of the bytes it will write. Each problem is one
   * {@link Preflight#problem} line; the run does not start if there is any.
   */
  default void preflight(StageContext context, Preflight checks) {}

  /**
   * What a finished run made, in a few lines for the person who ran it (identities found, images
   * written and where to look), read from the stage's output files; and whether the result is
   * empty — an empty dataset or no identity is said loudly, never a quiet {@code done}. Nothing
   * when the stage has nothing to say.
   */
  default Summary summary(StageContext context) {
    return Summary.NONE;
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
