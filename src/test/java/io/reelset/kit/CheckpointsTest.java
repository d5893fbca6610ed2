package io.reelset.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion records: written twice, cut short, damaged, left half-written by a crash. */
class CheckpointsTest {
  @TempDir Path dir;

  private Checkpoints records() {
    return Checkpoints.in(dir.toString());
  }

  private Path onlyRecord() throws Exception {
    try (Stream<Path> files = Files.walk(dir)) {
      List<Path> records = files.filter(p -> p.toString().endsWith(".rec")).toList();
      assertEquals(1, records.size(), records.toString());
      return records.get(0);
    }
  }

  @Test
  void aRecordReadsBackWhatWasWrittenAndAMissingOneIsNull() {
    assertTrue(records().write("video@000001000", List.of("a", "b"), StringUtf8Coder.of()));
    assertEquals(List.of("a", "b"), records().read("video@000001000", StringUtf8Coder.of()));
    assertNull(records().read("video@000002000", StringUtf8Coder.of()));
    assertTrue(records().write("empty", List.of(), StringUtf8Coder.of()));
    assertEquals(List.of(), records().read("empty", StringUtf8Coder.of()), "no output is an answer too");
    assertEquals(2, Checkpoints.count(dir));
  }

  @Test
  void aRecordWrittenTwiceIsOneRecord() throws Exception {
    records().write("k", List.of("x"), StringUtf8Coder.of());
    byte[] first = Files.readAllBytes(onlyRecord());
    records().write("k", List.of("x"), StringUtf8Coder.of()); // a retried bundle
    assertEquals(1, Checkpoints.count(dir));
    assertTrue(java.util.Arrays.equals(first, Files.readAllBytes(onlyRecord())));
    assertEquals(List.of("x"), records().read("k", StringUtf8Coder.of()));
  }

  @Test
  void aRecordCutShortOrDamagedIsNotComplete() throws Exception {
    records().write("k", List.of("some output"), StringUtf8Coder.of());
    Path record = onlyRecord();
    byte[] whole = Files.readAllBytes(record);
    for (int length : new int[] {0, 3, 10, whole.length / 2, whole.length - 1}) {
      Files.write(record, java.util.Arrays.copyOf(whole, length));
      assertNull(records().read("k", StringUtf8Coder.of()), "cut to " + length + " bytes");
    }
    byte[] flipped = whole.clone();
    flipped[whole.length / 2] ^= 0x01;
    Files.write(record, flipped);
    assertNull(records().read("k", StringUtf8Coder.of()), "one bit flipped");
  }

  @Test
  void aTemporaryFileLeftByACrashIsNotARecord() throws Exception {
    records().write("k", List.of("x"), StringUtf8Coder.of());
    Path record = onlyRecord();
    // a crash between writing the temporary file and renaming it leaves this behind
    Files.write(record.resolveSibling("." + record.getFileName() + ".0f0e.tmp"), Files.readAllBytes(record));
    Files.delete(record);
    assertNull(records().read("k", StringUtf8Coder.of()));
    assertEquals(0, Checkpoints.count(dir));
    assertEquals(List.of(), records().keys());
  }

  @Test
  void aRecordOfAnotherKeyWithTheSameFileIsNotTaken() throws Exception {
    records().write("k", List.of("x"), StringUtf8Coder.of());
    assertEquals(List.of("k"), records().keys());
    Checkpoints pieces = records().forItem("video-1");
    pieces.write("000000000000-000000010000", List.of("f"), StringUtf8Coder.of());
    assertEquals(List.of("000000000000-000000010000"), pieces.keys());
    assertNull(records().forItem("video-2").read("000000000000-000000010000", StringUtf8Coder.of()));
  }

  @Test
  void aRecordThatCannotBeWrittenDoesNotThrow() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertFalse(Checkpoints.in(file.toString()).write("k", List.of("x"), StringUtf8Coder.of()));
  }
}
