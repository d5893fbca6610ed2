package io.reelset.spec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.reelset.testing.InProcessCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random mutations of the golden pipeline files through {@code reelset validate}: whatever the
 * bytes, the answer is exit 0 or 2 with one-line problems, never a stack trace, and quickly. The
 * seed is fixed, so a failure is reproduced by running the test again; the mutation that failed is
 * in the message.
 */
class SpecFuzzTest {
  private static final long SEED = 20261204L;
  private static final int MUTATIONS = 300;
  private static final long MAX_MS_PER_FILE = 5_000;
  private static final String[] PIECES = {
    ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "!!javax.script.ScriptEngineManager ", "|", ">", "'",
    "\"", "#", "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "  ", "? ", "${params.", "${", "}}", "$${", "{x.output_dir}",
    "\u0000", "\u001b[31m", "\u202e", "\ud83d\ude00", "\uFEFF", "~", "null", "1e999", "-0", "0x1F", ".inf", "<<: *a\n",
    "9223372036854775808", "\r", "\\", "@", "`",
  };

  @TempDir Path dir;

  @Test
  void mutatedGoldenSpecsNeverCrashOrHang() throws Exception {
    List<Path> seeds;
    try (Stream<Path> files = Stream.concat(Files.list(Path.of("src/test/resources/specs/valid")),
        Files.list(Path.of("src/test/resources/specs/invalid")))) {
      seeds = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertTrue(seeds.size() > 20, seeds.toString());
    Random random = new Random(SEED);
    List<String> slowest = new ArrayList<>();
    long slowestMs = 0;
    for (int i = 0; i < MUTATIONS; i++) {
      Path seed = seeds.get(random.nextInt(seeds.size()));
      byte[] mutated = mutate(Files.readAllBytes(seed), random);
      Path file = Files.write(dir.resolve("m" + i + ".yaml"), mutated);
      long start = System.nanoTime();
      InProcessCli.Result result = InProcessCli.reelset("validate", file.toString());
      long ms = (System.nanoTime() - start) / 1_000_000;
      String what = "mutation " + i + " of " + seed.getFileName() + ":\n" + new String(mutated,
          java.nio.charset.StandardCharsets.UTF_8) + "\n--- gave exit " + result.code() + ":\n" + result.err();
      assertTrue(result.code() == 0 || result.code() == 2, what);
      String output = result.out() + result.err();
      assertFalse(output.contains("\tat ") || output.contains("Exception") || output.contains("internal error"), what);
      assertTrue(ms < MAX_MS_PER_FILE, ms + " ms for " + what);
      if (ms > slowestMs) {
        slowestMs = ms;
        slowest = List.of(seed.getFileName().toString(), String.valueOf(i));
      }
    }
    System.out.println("SpecFuzzTest: " + MUTATIONS + " mutations, slowest " + slowestMs + " ms (" + slowest + ")");
  }

  /** One to four edits: a hostile piece inserted, a range deleted, a line doubled, the end cut off. */
  private static byte[] mutate(byte[] original, Random random) {
    StringBuilder text = new StringBuilder(new String(original, java.nio.charset.StandardCharsets.UTF_8));
    int edits = 1 + random.nextInt(4);
    for (int e = 0; e < edits; e++) {
      int at = text.length() == 0 ? 0 : random.nextInt(text.length());
      switch (random.nextInt(5)) {
        case 0, 1 -> text.insert(at, PIECES[random.nextInt(PIECES.length)]);
        case 2 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(12)));
        case 3 -> {
          int lineStart = text.lastIndexOf("\n", at) + 1;
          int lineEnd = text.indexOf("\n", at);
          String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd + 1);
          text.insert(lineStart, line);
        }
        default -> text.setLength(at);
      }
    }
    byte[] bytes = text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (random.nextInt(20) == 0 && bytes.length > 0) {
      bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // bytes that are not UTF-8
    }
    return bytes;
  }
}
