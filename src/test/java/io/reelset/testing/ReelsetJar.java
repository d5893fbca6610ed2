package io.reelset.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the shaded jar as a user does, in its own JVM. */
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
    assertTrue(Files.exists(JAR), "build the jar first: mvn package");
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m", "-jar", JAR.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("reelset-out", ".txt");
    Path err = Files.createTempFile("reelset-err", ".txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    return new Started(process, out, err);
  }

  public static Result run(String... args) throws IOException, InterruptedException {
    return start(args).await(5);
  }
}
