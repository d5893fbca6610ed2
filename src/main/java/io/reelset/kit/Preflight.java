package io.reelset.kit;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The checks made before a run starts: its inputs exist and can be read, its outputs can be
 * written, and the disk has room for an estimate of what it will write. Stages add their own
 * checks ({@code StageProvider#preflight}): a model that loads with the configured input and output.
 *
 * <p>The estimate is coarse by design: frame extraction counts the input videos' size once for
 * the frames it records (twice with {@code save}), and later stages add a share of that.
 */
public final class Preflight {
  private final List<String> problems = new ArrayList<>();
  private long inputBytes;
  private long estimatedBytes;

  /** Records a problem, said as one line naming the stage. */
  public void problem(String stageId, String message) {
    problems.add(io.reelset.spec.Printable.line(stageId == null ? message : "stage '" + stageId + "': " + message));
  }

  /** Adds bytes read from the corpus (a source stage's inputs). */
  public void addInputBytes(long bytes) {
    inputBytes += bytes;
  }

  /** The bytes of input the source stages found so far. */
  public long inputBytes() {
    return inputBytes;
  }

  /** Adds bytes a stage is expected to write. */
  public void addEstimate(long bytes) {
    estimatedBytes += Math.max(0, bytes);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }

  /** Checks that {@code dir} is or can be made a writable directory (local paths only). */
  public void writable(String stageId, String what, String dir) {
    if (isUri(dir)) {
      return;
    }
    Path path;
    try {
      path = Path.of(dir).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      problem(stageId, what + " '" + dir + "' is not a valid path: " + e.getMessage());
      return;
    }
    Path existing = existingAncestor(path);
    if (existing == null) {
      problem(stageId, what + " '" + dir + "': no part of this path exists");
    } else if (!Files.isDirectory(existing)) {
      problem(stageId, what + " '" + dir + "': " + existing + " is a file, not a directory");
    } else if (!Files.isWritable(existing)) {
      problem(stageId, what + " '" + dir + "': " + existing + " is not writable");
    }
  }

  /** Checks that the disk of {@code runDir} has room for the estimate; after every stage added its own. */
  public void diskSpace(String runDir) {
    if (isUri(runDir)) {
      return;
    }
    Path existing = existingAncestor(Path.of(runDir).toAbsolutePath().normalize());
    if (existing == null) {
      return;
    }
    try {
      FileStore store = Files.getFileStore(existing);
      long free = store.getUsableSpace();
      if (free < estimatedBytes) {
        problem(null, String.format(Locale.ROOT, "not enough free disk for the run directory %s: the run is"
            + " estimated to write %s (frames and crops of %s of video), and %s is free there; free some space,"
            + " or use --runs-dir on a larger disk", runDir, size(estimatedBytes), size(inputBytes), size(free)));
      }
    } catch (IOException e) {
      // a file system that does not say how much is free: nothing to check
    }
  }

  /** A remote file system's URI ({@code gs://...}): it checks its own permissions and space. */
  private static boolean isUri(String path) {
    return path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  private static Path existingAncestor(Path path) {
    Path p = path;
    while (p != null && !Files.exists(p)) {
      p = p.getParent();
    }
    return p;
  }

  /** {@code 1.5 GiB}, {@code 200 MiB}, {@code 12 KiB}. */
  public static String size(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
