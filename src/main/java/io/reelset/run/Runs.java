package io.reelset.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The runs of a runs directory as the management commands see them: each run's status, and the
 * state it is really in — a run whose status says running but whose process is gone has died.
 */
public final class Runs {
  private Runs() {}

  /** A state as shown to the user: the recorded one, or {@code died} for a dead running run. */
  public enum Shown {
    RUNNING, COMPLETED, FAILED, CANCELLED, DIED, UNKNOWN;

    public String text() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One run: its directory, status and the state to show, with why when it differs. */
  public record View(Path dir, RunStatus status, Shown state, String note) {
    public String id() {
      return dir.getFileName().toString();
    }

    /** This attempt's seconds, to its end or to its last update. */
    public double seconds() {
      return status.elapsedSeconds() == null ? 0 : status.elapsedSeconds();
    }
  }

  /**
   * Finds a run by id under {@code runsDir}, or by its directory's path.
   *
   * @throws IllegalArgumentException naming what was looked for and where
   */
  public static Path locate(Path runsDir, String run) {
    Path byId = runsDir.resolve(run);
    if (RunDirectory.RUN_ID.matcher(run).matches() && Files.isRegularFile(byId.resolve(RunDirectory.STATUS))) {
      return byId;
    }
    Path byPath = Path.of(run);
    if (Files.isRegularFile(byPath.resolve(RunDirectory.STATUS))) {
      return byPath;
    }
    throw new IllegalArgumentException("no run '" + run + "' in " + runsDir.toAbsolutePath().normalize()
        + " (a run is a directory with " + RunDirectory.STATUS + "; see reelset list, or give --runs-dir)");
  }

  /** The run in {@code dir}. @throws IOException when its status cannot be read */
  public static View view(Path dir) throws IOException {
    RunStatus status = RunDirectory.readStatus(dir);
    if (status.state() != RunState.RUNNING) {
      return new View(dir, status, Shown.valueOf(status.state().name()), null);
    }
    return switch (liveness(status)) {
      case ALIVE -> new View(dir, status, Shown.RUNNING, null);
      case DEAD -> new View(dir, status, Shown.DIED, "its process " + status.pid() + " on " + status.host()
          + " is gone; last update " + status.updatedAt() + "; reelset resume " + dir.getFileName()
          + " finishes it");
      case ELSEWHERE -> new View(dir, status, Shown.UNKNOWN, "running on " + status.host()
          + " (process " + status.pid() + "), which this machine cannot check; last update " + status.updatedAt());
    };
  }

  /** Every readable run under {@code runsDir}, oldest first; unreadable ones are skipped. */
  public static List<View> all(Path runsDir) {
    return all(runsDir, new ArrayList<>());
  }

  /**
   * Every readable run under {@code runsDir}, oldest first; for each run directory whose status
   * cannot be read, a line saying why is added to {@code damaged}.
   */
  public static List<View> all(Path runsDir, List<String> damaged) {
    List<View> views = new ArrayList<>();
    if (!Files.isDirectory(runsDir)) {
      return views;
    }
    try (Stream<Path> dirs = Files.list(runsDir)) {
      for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve(RunDirectory.STATUS))).toList()) {
        try {
          views.add(view(dir));
        } catch (IOException | RuntimeException e) {
          damaged.add(dir.getFileName() + ": left out: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      return views;
    }
    views.sort(Comparator.comparing((View v) -> v.status().firstStart()).thenComparing(View::id));
    return views;
  }

  /** Whether the process that ran a run is still there. */
  public enum Liveness { ALIVE, DEAD, ELSEWHERE }

  public static Liveness liveness(RunStatus status) {
    if (status.pid() == null || status.host() == null || !status.host().equals(RunTracker.host())) {
      return Liveness.ELSEWHERE;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(status.pid());
    if (process.isEmpty() || !process.get().isAlive()) {
      return Liveness.DEAD;
    }
    String started = RunTracker.processStart(process.get());
    if (status.processStart() != null && started != null && !started.equals(status.processStart())) {
      return Liveness.DEAD; // the pid now belongs to another process
    }
    return Liveness.ALIVE;
  }
}
