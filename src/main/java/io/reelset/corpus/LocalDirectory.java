package io.reelset.corpus;

import io.reelset.media.VideoKeys;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A local directory input searched for videos: links are followed, but a link that leads back
 * into a folder being searched is skipped (and said), and a video reached by two paths is listed
 * once, by the first in sorted order. Only regular files are read: a named pipe, socket or device
 * with a video's extension is a failure line, never opened (opening a pipe waits for a writer for
 * ever). Names with any characters, newlines included, are listed.
 */
final class LocalDirectory {
  private LocalDirectory() {}

  static MatchVideos.Listing list(Path dir, List<String> extensions) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    String rootText = root.toString().endsWith("/") ? root.toString() : root + "/";
    List<Path> files = new ArrayList<>();
    List<MatchVideos.Skipped> skipped = new ArrayList<>();
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (VideoKeys.hasExtension(file.toString(), extensions)) {
          files.add(file);
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        if (e instanceof FileSystemLoopException) {
          skipped.add(new MatchVideos.Skipped(file.toString(), "a link back to a folder already searched; skipped"));
        } else if (VideoKeys.hasExtension(file.toString(), extensions) || Files.isDirectory(file)) {
          skipped.add(new MatchVideos.Skipped(file.toString(), "cannot be read: " + e));
        }
        return FileVisitResult.CONTINUE;
      }
    });
    files.sort(null);
    List<MatchVideos.Candidate> candidates = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path file : files) {
      // a pipe or device is listed too: FingerprintFn, which opens files, refuses it with a failure line
      Path real = file.toRealPath();
      if (!seen.add(real)) {
        continue; // the same video by another path (a link): listed once
      }
      candidates.add(new MatchVideos.Candidate(file.toString(), rootText));
    }
    String problem = candidates.isEmpty() && skipped.isEmpty()
        ? "no videos in this directory (looked for ." + String.join(", .", extensions) + ")" : null;
    return new MatchVideos.Listing(candidates, skipped, problem);
  }

  /**
   * Why a local path is not read as a file — a named pipe, socket, device or folder — or null
   * for a regular file, a missing one (said elsewhere) or a remote URI.
   */
  static String notRegular(String path) {
    if (path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return null;
    }
    Path p = Path.of(path);
    if (!Files.exists(p) || Files.isRegularFile(p)) {
      return null;
    }
    if (Files.isDirectory(p)) {
      return "a folder, not a video file";
    }
    String kind = "not a regular file";
    try {
      Object type = Files.readAttributes(p, "unix:mode").get("mode");
      int mode = type instanceof Integer m ? m & 0170000 : 0;
      kind = switch (mode) {
        case 0010000 -> "a named pipe (FIFO)";
        case 0140000 -> "a socket";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        default -> kind;
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      // a file system without unix modes: the generic word will do
    }
    return kind + ", not a regular file: only regular files are read (a pipe would wait for a writer for ever)";
  }
}
