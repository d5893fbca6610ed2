package io.reelset.stages;

import io.reelset.kit.Preflight;
import io.reelset.kit.SharedModels;
import io.reelset.vision.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the default models live and how they are fetched on first use: under {@code models/} in
 * reelset's home (the project directory the jar was built in, or {@code REELSET_HOME}), fetched by
 * {@code scripts/fetch-models.sh} when missing — by preflight, with a line saying so.
 */
public final class ModelFiles {
  /** The default segmentation model (ISNet), fetched by {@code scripts/fetch-models.sh medium}. */
  public static final Default SEGMENTATION = new Default("models/isnet-medium.onnx", "medium",
      "segmentation model");
  /** The default CNN embedder (MobileNetV2-1.4 features), fetched by {@code scripts/fetch-models.sh cnn}. */
  public static final Default CNN = new Default("models/mobilenet-v2-features.onnx", "cnn", "CNN embedder");

  /**
   * A preflight problem of stage {@code stageId} unless {@code open} loads the model with the
   * configured input and output (a default model missing is fetched by {@code open} first).
   */
  public static void checkLoads(String stageId, Preflight checks, SharedModels.Opener<?> open) {
    try (AutoCloseable model = open.open()) {
      // loaded and closed
    } catch (ModelException e) {
      checks.problem(stageId, "config.model: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      checks.problem(stageId, e.getMessage()); // a default model that is missing and cannot be fetched
    } catch (Exception e) {
      checks.problem(stageId, "config.model: cannot close the model after checking it: " + e.getMessage());
    }
  }

  /** A default model: its path under reelset's home, the fetch script's name for it, and what it is. */
  public record Default(String path, String fetchArgument, String what) {}


  private ModelFiles() {}

  public static Path home() {
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

  /** A default model, fetched first if it is missing. */
  public static Path defaultModel(Default which) {
    Path home = home();
    Path model = home.resolve(which.path());
    if (Files.exists(model)) {
      return model;
    }
    Path script = home.resolve("scripts/fetch-models.sh");
    if (!Files.exists(script)) {
      throw new IllegalArgumentException("the default " + which.what() + " " + model + " is missing and "
          + script + " is not there to fetch it; set config.model to an ONNX model file");
    }
    System.err.println("reelset: fetching the default " + which.what() + " into " + model + " (once)");
    try {
      Process fetch = new ProcessBuilder(script.toString(), which.fetchArgument()).inheritIO().start();
      if (fetch.waitFor() != 0 || !Files.exists(model)) {
        throw new IllegalArgumentException("fetching the default " + which.what() + " failed (" + script
            + " exited with " + fetch.exitValue() + "); run it by hand to see why");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalArgumentException("interrupted while fetching the default " + which.what(), e);
    }
    return model;
  }
}
