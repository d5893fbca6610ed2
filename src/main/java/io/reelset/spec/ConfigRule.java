package io.reelset.spec;

import java.io.Serializable;
import java.util.List;

/**
 * A rule about a combination of a stage's config fields ({@code kmeans} needs {@code k}; a model
 * only with {@code embedder: onnx}), checked with the file, after each field's own type and
 * range, and reported like every other problem: {@code FILE:LINE:COL: stage 'ID': config.FIELD:
 * message}, all at once. A rule sees the values with defaults filled in.
 *
 * {@code
 * ConfigSchema.builder()
 *     .choice("method", "hdbscan", "...", "hdbscan", "kmeans")
 *     .integer("k", 0, 0, 10_000, "...")
 *     .rule(c -> {
 *       if (c.values().getString("method").equals("kmeans") && c.values().getLong("k") < 1) {
 *         c.problem("k", "method kmeans needs k, the number of identities");
 *       }
 *     })
 * }
 */
@FunctionalInterface
public interface ConfigRule extends Serializable {
  void check(Checked config);

  /** A config whose fields passed their own checks, with the marks of where each was written. */
  final class Checked {
    private final StageConfig values;
    private final YamlValue.Mapping written;
    private final String stageId;
    private final String path;
    private final Mark at;
    private final List<SpecProblem> problems;

    Checked(StageConfig values, YamlValue.Mapping written, String stageId, String path, Mark at,
        List<SpecProblem> problems) {
      this.values = values;
      this.written = written;
      this.stageId = stageId;
      this.path = path;
      this.at = at;
      this.problems = problems;
    }

    /** The values, defaults filled in. */
    public StageConfig values() {
      return values;
    }

    /** Whether the user wrote {@code field} (a default is not written). */
    public boolean written(String field) {
      return written != null && written.entries().containsKey(field);
    }

    /** A problem with {@code field}, marked where its value is written (else where the config is). */
    public void problem(String field, String message) {
      YamlValue value = written == null ? null : written.entries().get(field);
      Mark mark = value != null ? value.mark() : written != null ? written.mark() : at;
      problems.add(new SpecProblem(mark, stageId, path + "." + field, message));
    }
  }
}
