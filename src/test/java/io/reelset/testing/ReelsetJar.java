package io.reelset.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the shaded jar as a user does, through {@code scripts/reelset} (the JVM options the README's
 * command gets: the parallel collector, the compiler thresholds, a large thread stack), with this
 * JVM's Java, in its own process. The launcher replaces itself with the JVM, so the process is the
 * JVM: a kill reaches it. No class data archive ({@code REELSET_CDS=off}): the first run after a
 * build would write one as it exits, from a shell that waits for the JVM rather than becoming it.
 */
public final class ReelsetJar {
  public static final Path JAR = Path.of("target/reelset.jar");

  /** Exit code and output of a finished run. */
  public record Result(int code, String out, String err) {}

  /** A started run and where its output goes. */
  public record Started(Process process, Path out, Path err) {
    public Result await(long minutes) throws IOException, InterruptedException {
      assertTrue(process.waitFor(minutes, TimeUnit.MINUTES), "reelset did not finish in " + minutes + " minutes");
      return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    }
  }

  private ReelsetJar() {}

  public static Started start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  /** As {@link #start(String...)}, with {@code env} set over the launcher's environment (REELSET_CDS=on, say). */
  public static Started start(Map<String, String> env, String... args) throws IOException {
    assertTrue(Files.exists(JAR), "build the jar first: mvn package");
    List<String> command = new ArrayList<>(List.of("scripts/reelset"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("reelset-out", ".txt");
    Path err = Files.createTempFile("reelset-err", ".txt");
    ProcessBuilder launcher = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    launcher.environment().put("REELSET_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    launcher.environment().put("REELSET_CDS", "off");
    launcher.environment().remove("REELSET_JAVA_OPTS");
    launcher.environment().putAll(env);
    Process process = launcher.start();
    return new Started(process, out, err);
  }

  public static Result run(String... args) throws IOException, InterruptedException {
    return start(args).await(5);
  }
}
