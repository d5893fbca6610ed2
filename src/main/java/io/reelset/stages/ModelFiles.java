package io.reelset.stages.segmentation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the default model lives and how it is fetched on first use: {@code models/isnet-medium.onnx}
 * under reelset's home (the project directory the jar was built in, or {@code REELSET_HOME}),
 * fetched by {@code scripts/fetch-models.sh} when missing.
 */
final class ModelFiles {
  static final String DEFAULT = "models/isnet-medium.onnx";

  private ModelFiles() {}

  static Path home() {
    String env = System.getenv("REELSET_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    try {
      Path jar = Path.of(ModelFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
      if (candidate != null && Files.exists(candidate.resolve("scripts/fetch-models.sh"))) {
        return candidate;
      }
    } catch (Exception e) {
      // no code source (an unusual class loader): fall back to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  /** The default model, fetched first if it is missing. */
  static Path defaultModel() {
    Path home = home();
    Path model = home.resolve(DEFAULT);
    if (Files.exists(model)) {
      return model;
    }
    Path script = home.resolve("scripts/fetch-models.sh");
    if (!Files.exists(script)) {
      throw new IllegalArgumentException("the default segmentation model " + model + " is missing and "
          + script + " is not there to fetch it; set config.model to an ONNX model file");
    }
    System.err.println("reelset: fetching the default segmentation model into " + model + " (once)");
    try {
      Process fetch = new ProcessBuilder(script.toString(), "medium").inheritIO().start();
      if (fetch.waitFor() != 0 || !Files.exists(model)) {
        throw new IllegalArgumentException("fetching the default segmentation model failed (" + script
            + " exited with " + fetch.exitValue() + "); run it by hand to see why");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted while fetching the default segmentation model", e);
    }
    return model;
  }
}
