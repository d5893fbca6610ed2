package io.reelset.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A run's directory: {@code spec.resolved.yaml}, {@code status.json} (rewritten atomically, so a
 * reader never sees half a file) and {@code events.jsonl} (one JSON event per line, appended).
 */
public final class RunDirectory {
  public static final String SPEC = "spec.resolved.yaml";
  public static final String STATUS = "status.json";
  public static final String EVENTS = "events.jsonl";
  public static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dir;
  private final Clock clock;
  /** The run's lock while this instance holds it. */
  private FileLock held;

  private RunDirectory(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
  }

  /**
   * The directory for a new run: {@code runsDir/runId}, or, without an id, {@code
   * runsDir/<pipeline>-<yyyyMMdd-HHmmss>} with {@code -2}, {@code -3}... if that is taken.
   *
   * @throws IllegalArgumentException if {@code runId} is malformed or already used
   */
  public static Path choose(Path runsDir, String runId, String pipelineName, Clock clock) {
    if (runId != null) {
      if (!RUN_ID.matcher(runId).matches()) {
        throw new IllegalArgumentException("--run-id '" + runId + "' is not valid; use letters,"
            + " digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters");
      }
      Path dir = runsDir.resolve(runId);
      if (Files.exists(dir)) {
        throw new IllegalArgumentException("run '" + runId + "' already exists in " + runsDir
            + "; choose another --run-id or remove " + dir);
      }
      return dir;
    }
    String base = pipelineName.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    base = (base.isEmpty() ? "run" : base.length() > 80 ? base.substring(0, 80) : base)
        + "-" + LocalDateTime.now(clock).format(STAMP);
    Path dir = runsDir.resolve(base);
    for (int n = 2; Files.exists(dir); n++) {
      dir = runsDir.resolve(base + "-" + n);
    }
    return dir;
  }

  /** Creates {@code dir} (which must not exist yet) and its parents. */
  public static RunDirectory create(Path dir, Clock clock) throws IOException {
    Files.createDirectories(dir.getParent());
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new IOException("it was created a moment ago by another reelset run with the same run id;"
          + " run again with another --run-id (or none: a new one is chosen)", e);
    }
    return new RunDirectory(dir, clock);
  }

  /** Opens an existing run directory. */
  public static RunDirectory open(Path dir, Clock clock) {
    return new RunDirectory(dir, clock);
  }

  public Path path() {
    return dir;
  }

  public String runId() {
    return dir.getFileName().toString();
  }

  public void writeSpec(String yaml) throws IOException {
    writeAtomically(dir.resolve(SPEC), yaml.getBytes(StandardCharsets.UTF_8));
  }

  public void writeStatus(RunStatus status) {
    try {
      byte[] bytes = JSON.writeValueAsBytes(status);
      withRoom(() -> writeAtomically(dir.resolve(STATUS), bytes));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(STATUS), e);
    }
  }

  /** Bytes kept free for the run's last status and events when the disk fills up. */
  static final int RESERVE_BYTES = 256 * 1024;
  static final String RESERVE = ".reserve";

  /**
   * Sets aside {@link #RESERVE_BYTES} on the run's disk ({@value #RESERVE}), given back when a
   * write of the status or the event log finds the disk full, so a run that filled its disk can
   * still say so. Best effort: a disk too full for it has no reserve.
   */
  public void reserve() {
    Path file = dir.resolve(RESERVE);
    try {
      Files.write(file, new byte[RESERVE_BYTES]);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // nothing was set aside
      }
    }
  }

  /** Gives back the reserve (the run is ending, or the disk is full); whether there was one. */
  public boolean release() {
    try {
      return Files.deleteIfExists(dir.resolve(RESERVE));
    } catch (IOException ignored) {
      return false; // a reserve that cannot be deleted is deleted with the run
    }
  }

  private interface Write {
    void run() throws IOException;
  }

  /** Runs a write; when it fails and a reserve is held, gives the reserve back and tries once more. */
  private void withRoom(Write write) throws IOException {
    try {
      write.run();
    } catch (IOException e) {
      if (!release()) {
        throw e;
      }
      write.run();
    }
  }

  /**
   * Takes the run's lock ({@code .lock}), held until {@link #unlock} or the end of this process
   * (the system lets go of it when the process dies), so that two processes never run the same
   * run directory at once.
   *
   * @return false when another process (or another instance in this one) holds it; true when this
   *     instance already does
   */
  public synchronized boolean lock() throws IOException {
    if (held != null) {
      return true;
    }
    Path file = dir.resolve(".lock").toAbsolutePath().normalize();
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      held = channel.tryLock();
    } catch (java.nio.channels.OverlappingFileLockException e) {
      held = null; // another RunDirectory of this process holds it
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (held == null) {
      channel.close();
      return false;
    }
    return true;
  }

  /** Lets go of the run's lock if this instance holds it. */
  public synchronized void unlock() {
    if (held != null) {
      try {
        held.channel().close(); // closing the channel releases the lock
      } catch (IOException e) {
        // the lock goes with the process in any case
      }
      held = null;
    }
  }

  /** The run's {@code status.json}. */
  public RunStatus readStatus() throws IOException {
    return readStatus(dir);
  }

  /** The {@code status.json} of the run in {@code dir}. */
  /** What {@link #deleteTree} removed: regular files and their bytes. */
  public record Deleted(long files, long bytes) {}

  /** Deletes a directory and everything under it (nothing when it is missing). */
  public static Deleted deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return new Deleted(0, 0);
    }
    long files = 0;
    long bytes = 0;
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        if (Files.isRegularFile(p)) {
          files++;
          bytes += Files.size(p);
        }
        Files.deleteIfExists(p);
      }
    }
    return new Deleted(files, bytes);
  }

  /** What Jackson found wrong with a file, in one line, with where (and without its source excerpt). */
  static String jsonProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    return e.getOriginalMessage().lines().findFirst().orElse("")
        + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
  }

  /**
   * The {@code status.json} of the run in {@code dir}.
   *
   * @throws IOException saying what is wrong with it: unreadable, not JSON, not a run's status
   */
  public static RunStatus readStatus(Path dir) throws IOException {
    Path file = dir.resolve(STATUS);
    RunStatus status;
    try {
      status = JSON.readValue(file.toFile(), RunStatus.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(file + " is damaged: " + jsonProblem(e), e);
    }
    if (status == null || status.state() == null || status.runId() == null || status.startedAt() == null) {
      throw new IOException(file + " is damaged: it holds " + (status == null ? "null" : "no state, run id or start")
          + ", not a run's status (rerun the pipeline, or delete the directory)");
    }
    return status;
  }

  /** Appends {@code {"time": ..., "event": type, ...fields}} to {@code events.jsonl}. */
  public void event(String type, Map<String, ?> fields) {
    ObjectNode line = JSON_LINE.createObjectNode();
    line.put("time", clock.instant().toString());
    line.put("event", type);
    fields.forEach((k, v) -> line.set(k, JSON_LINE.valueToTree(v)));
    try {
      byte[] bytes = (JSON_LINE.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      withRoom(() -> Files.write(dir.resolve(EVENTS), bytes,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + dir.resolve(EVENTS), e);
    }
  }

  private static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    try {
      Files.write(temp, bytes);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    try {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
