package io.reelset.spec;

/**
 * A typed config with rules between its fields ({@code kmeans} needs {@code k}), checked with the
 * file once every field passed its own checks, and reported with {@code FILE:LINE:COL} like every
 * other problem ({@link ConfigRule}).
 */
public interface ConfigChecks {
  /** Adds a problem to {@code problems} for every rule this config breaks. */
  void check(ConfigRule.Checked problems);
}
