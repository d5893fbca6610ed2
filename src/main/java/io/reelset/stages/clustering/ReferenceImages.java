package io.reelset.stages.clustering;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The images of the named reference identities ({@code references: {name: dir_or_glob}}), read
 * when the pipeline is built so that a wrong path fails before anything runs, and carried inside
 * the DoFn so that workers need no access to them.
 */
record ReferenceImages(Map<String, List<Image>> byName) implements Serializable {
  static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

  /** One reference image. */
  record Image(String file, byte[] bytes) implements Serializable {}

  static ReferenceImages none() {
    return new ReferenceImages(Map.of());
  }

  boolean isEmpty() {
    return byName.isEmpty();
  }

  /**
   * Reads every reference.
   *
   * @throws IllegalArgumentException naming the stage, the reference and what is wrong
   */
  static ReferenceImages load(Map<String, Object> config, String stageId) {
    Map<String, List<Image>> byName = new LinkedHashMap<>();
    for (Map.Entry<String, Object> entry : config.entrySet()) {
      String name = entry.getKey();
      String where = "stage '" + stageId + "': config.references." + name + ": ";
      if (name.isBlank() || name.equals("noise") || name.matches("identity_\\d+")) {
        throw new IllegalArgumentException(where + "'" + name + "' cannot name a reference"
            + " (noise and identity_NNN are the names of unmatched crops and clusters)");
      }
      if (!(entry.getValue() instanceof String location) || location.isBlank()) {
        throw new IllegalArgumentException(where + "expected a directory or a glob of images, got "
            + entry.getValue());
      }
      List<Path> files = files(location, where);
      List<Image> images = new ArrayList<>();
      for (Path file : files) {
        try {
          images.add(new Image(file.toString(), Files.readAllBytes(file)));
        } catch (IOException e) {
          throw new IllegalArgumentException(where + "cannot read " + file + ": " + e.getMessage(), e);
        }
      }
      byName.put(name, images);
    }
    return new ReferenceImages(byName);
  }

  private static List<Path> files(String location, String where) {
    boolean glob = location.contains("*") || location.contains("?") || location.contains("[");
    Path root;
    PathMatcher matcher;
    if (glob) {
      int cut = location.length();
      for (String c : List.of("*", "?", "[", "{")) {
        int i = location.indexOf(c);
        if (i >= 0) {
          cut = Math.min(cut, i);
        }
      }
      int slash = location.lastIndexOf('/', cut);
      root = Path.of(slash < 0 ? "." : location.substring(0, Math.max(1, slash)));
      matcher = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(location).normalize());
    } else {
      root = Path.of(location);
      matcher = null;
      if (Files.isRegularFile(root)) {
        return List.of(root);
      }
      if (!Files.isDirectory(root)) {
        throw new IllegalArgumentException(where + location + " does not exist; give a directory of"
            + " images of this character, or a glob such as refs/alice/*.png");
      }
    }
    List<Path> files;
    try (Stream<Path> walk = Files.isDirectory(root) ? Files.walk(root) : Stream.empty()) {
      files = walk.filter(Files::isRegularFile)
          .filter(p -> EXTENSIONS.stream().anyMatch(e -> p.toString().toLowerCase(Locale.ROOT).endsWith(e)))
          .filter(p -> matcher == null || matcher.matches(p.normalize()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalArgumentException(where + "cannot list " + root + ": " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new IllegalArgumentException(where + "no image (" + String.join(", ", EXTENSIONS)
          + ") in " + location);
    }
    return files;
  }
}
