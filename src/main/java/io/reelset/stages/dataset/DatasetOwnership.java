package io.reelset.stages.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.OutputFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which files of a dataset folder reelset wrote, so that a rerun removes its own stale images and
 * never a file it did not write.
 *
 * <p>The folder's {@value #MANIFEST} lists the images and captions the last finished run wrote.
 * Before an image is written, its name is appended to a journal under {@value #JOURNAL}, so the
 * images of a run killed before it finished are known too. When a run finishes, the files that the
 * manifest or a journal names and this run did not write are deleted (with the folders that this
 * leaves empty), the manifest is rewritten and the journals are removed. A folder without a
 * manifest that holds anything is not reelset's: preflight refuses it unless the stage says
 * {@code force: true}, and even then only what reelset writes is ever replaced or removed.
 * Remote folders ({@code gs://…}) are written, never cleaned.
 */
final class DatasetOwnership {
  static final String MANIFEST = ".reelset-dataset.json";
  static final String JOURNAL = ".reelset-journal";
  /** Files every run writes again: never stale, never listed. */
  static final Set<String> INDEX = Set.of(MANIFEST, "dataset_config.toml", "stats.json", "report.html");
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetOwnership() {}

  private static boolean local(String outputDir) {
    return !outputDir.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  /**
   * Why reelset may not write into {@code outputDir}, or null: it is missing, empty, or has a
   * manifest (an earlier run's), or {@code force} is set.
   */
  static String refusal(String outputDir, boolean force) {
    if (!local(outputDir) || force) {
      return null;
    }
    Path root = Path.of(outputDir).toAbsolutePath().normalize();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS) || Files.exists(root.resolve(MANIFEST))) {
      return null;
    }
    if (!Files.isDirectory(root)) {
      return "config.output_dir '" + outputDir + "' is a file, not a folder";
    }
    List<String> found = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(p -> !p.equals(root)).limit(4).forEach(p -> found.add(root.relativize(p).toString()));
    } catch (IOException | RuntimeException e) {
      return "config.output_dir '" + outputDir + "' cannot be read: " + e.getMessage();
    }
    if (found.isEmpty()) {
      return null;
    }
    String shown = String.join(", ", found.subList(0, Math.min(3, found.size())))
        + (found.size() > 3 ? ", ..." : "");
    return "config.output_dir '" + outputDir + "' is not empty (" + shown + ") and no reelset run wrote it"
        + " (it has no " + MANIFEST + "); reelset writes a dataset only into a new or empty folder or one it"
        + " wrote before. Choose another output_dir, or set force: true in this stage's config to write beside"
        + " these files (they are never deleted, but a file with the name of one reelset writes is replaced)";
  }

  /** Marks {@code outputDir} as reelset's (an empty manifest) unless it is already. */
  static void claim(String outputDir) throws IOException {
    if (!local(outputDir)) {
      return;
    }
    Path root = Files.createDirectories(Path.of(outputDir));
    try {
      Files.write(root.resolve(MANIFEST), manifest(List.of()), StandardOpenOption.CREATE_NEW);
    } catch (FileAlreadyExistsException e) {
      // an earlier run's, or another worker's: either way the folder is reelset's
    }
  }

  /** Notes, before they are written, that the files {@code relative} to the dataset are reelset's. */
  static void journal(String outputDir, String writer, List<String> relative) throws IOException {
    if (!local(outputDir)) {
      return;
    }
    Path dir = Files.createDirectories(Path.of(outputDir, JOURNAL));
    Files.write(dir.resolve(writer + ".txt"), relative, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  /**
   * Deletes the files reelset wrote earlier that {@code kept} does not hold, then records
   * {@code kept} as the dataset's files.
   */
  static void finish(String outputDir, Collection<String> kept) throws IOException {
    if (!local(outputDir)) {
      return;
    }
    Path root = Path.of(outputDir).toAbsolutePath().normalize();
    Set<String> owned = new TreeSet<>(listed(root));
    Path journals = root.resolve(JOURNAL);
    List<Path> journalFiles = new ArrayList<>();
    if (Files.isDirectory(journals)) {
      try (Stream<Path> files = Files.list(journals)) {
        journalFiles.addAll(files.toList());
      }
      for (Path journal : journalFiles) {
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
          if (!line.isBlank()) {
            owned.add(line);
          }
        }
      }
    }
    Set<String> keep = new TreeSet<>(kept);
    for (String file : owned) {
      Path path = root.resolve(file).normalize();
      if (keep.contains(file) || INDEX.contains(file) || !path.startsWith(root) || path.equals(root)) {
        continue;
      }
      if (Files.deleteIfExists(path)) {
        for (Path parent = path.getParent(); parent != null && !parent.equals(root); parent = parent.getParent()) {
          if (!isEmptyDirectory(parent)) {
            break;
          }
          Files.delete(parent);
        }
      }
    }
    removeTemporaries(root, owned);
    OutputFiles.writeBytes(root.toString(), MANIFEST, manifest(keep));
    for (Path journal : journalFiles) {
      Files.deleteIfExists(journal);
    }
    if (isEmptyDirectory(journals)) {
      Files.delete(journals);
    }
  }

  /** A temporary OutputFiles writes beside a file before moving it in place: {@code .<name>.<uuid>.tmp}. */
  private static final java.util.regex.Pattern TEMPORARY =
      java.util.regex.Pattern.compile("\\.(.+)\\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.tmp");

  /**
   * Deletes the temporaries of owned files that a killed run left (its write never moved them in
   * place); a file of the user's is never one of them.
   */
  private static void removeTemporaries(Path root, Set<String> owned) throws IOException {
    java.util.Map<Path, Set<String>> names = new java.util.HashMap<>();
    for (String file : owned) {
      Path path = root.resolve(file).normalize();
      if (path.startsWith(root) && path.getParent() != null) {
        names.computeIfAbsent(path.getParent(), k -> new TreeSet<>()).add(path.getFileName().toString());
      }
    }
    for (java.util.Map.Entry<Path, Set<String>> folder : names.entrySet()) {
      if (!Files.isDirectory(folder.getKey(), LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try (Stream<Path> files = Files.list(folder.getKey())) {
        for (Path file : files.toList()) {
          java.util.regex.Matcher m = TEMPORARY.matcher(file.getFileName().toString());
          if (m.matches() && folder.getValue().contains(m.group(1))) {
            Files.deleteIfExists(file);
          }
        }
      }
    }
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> left = Files.list(dir)) {
      return left.findAny().isEmpty();
    }
  }

  /** The files the manifest lists; none when it is missing or unreadable. */
  private static List<String> listed(Path root) {
    Path manifest = root.resolve(MANIFEST);
    List<String> files = new ArrayList<>();
    try {
      JsonNode node = JSON.readTree(Files.readAllBytes(manifest)).path("files");
      node.forEach(f -> files.add(f.asText()));
    } catch (IOException | RuntimeException e) {
      // no manifest, or a damaged one: nothing is known to be reelset's
    }
    return files;
  }

  private static byte[] manifest(Collection<String> files) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("written_by", "reelset");
    m.put("note", "the files reelset wrote here; a rerun deletes those it no longer writes and no other file");
    m.put("files", new ArrayList<>(files));
    return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8);
  }
}
