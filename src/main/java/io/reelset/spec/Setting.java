package io.reelset.spec;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * One field of a stage's typed config, declared on a record component: the record is the config,
 * and the schema that {@code reelset stages} prints, the defaults, the checks and the value the
 * stage reads all come from it ({@link ConfigSchema#of}).
 *
 * <p>The YAML name is the component's name in snake case ({@code minArea} is {@code min_area})
 * unless {@link #name} says otherwise. The field's type follows the component's: {@code String}
 * (a choice when {@link #choices} are given), {@code int}/{@code long}, {@code double},
 * {@code boolean}, an enum (its constants in lower case), {@code List<…>}, a nested record (a
 * mapping with fields of its own), {@code Map<String, Object>} (any mapping) or {@code Object}.
 *
 * {@code
 * public record SamplingConfig(
 *     @Setting(value = "which frames to take", defaultValue = "fps") Sampling.Mode mode,
 *     @Setting(value = "fps: frames per second", defaultValue = "1", min = 0.001, max = 1000) double fps) {}
 * }
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Setting {
  /** The text of {@link #defaultValue} when the field has none. */
  String NONE = "\u0000none";

  /** What the field means, one line. */
  String value();

  /** The YAML name; empty: the component's name in snake case. */
  String name() default "";

  /** The default as text (a list: items separated by commas); {@link #NONE}: no default. */
  String defaultValue() default NONE;

  /** The user must give it. */
  boolean required() default false;

  /** Smallest number allowed (a list: fewest items); NaN: none. */
  double min() default Double.NaN;

  /** Largest number allowed; NaN: none. */
  double max() default Double.NaN;

  /** The words a string field allows, in the order listed. */
  String[] choices() default {};
}
