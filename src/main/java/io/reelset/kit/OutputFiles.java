package io.reelset.kit;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MoveOptions;
import org.apache.beam.sdk.io.fs.ResolveOptions.StandardResolveOptions;
import org.apache.beam.sdk.io.fs.ResourceId;

/**
 * Writes a stage's small output files through Beam's {@link FileSystems}, so any file system Beam
 * knows works, under a temporary name first and renamed into place: a reader never sees half a
 * file, and a retried bundle replaces the file instead of adding a second one.
 */
public final class OutputFiles {
  private OutputFiles() {}

  /** Writes {@code lines}, each followed by a newline, to {@code directory/fileName}. */
  public static ResourceId writeLines(String directory, String fileName, List<String> lines)
      throws IOException {
    return write(directory, fileName, "text/plain", stream -> {
      for (String line : lines) {
        stream.write(line.getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
      }
    });
  }

  /** Writes {@code bytes} to {@code directory/fileName}. */
  public static ResourceId writeBytes(String directory, String fileName, byte[] bytes) throws IOException {
    return write(directory, fileName, "application/octet-stream", stream -> stream.write(bytes));
  }

  /** What goes into a file. */
  @FunctionalInterface
  interface Content {
    void writeTo(OutputStream stream) throws IOException;
  }

  private static ResourceId write(String directory, String fileName, String mimeType, Content content)
      throws IOException {
    ResourceId dir = FileSystems.matchNewResource(directory, true);
    ResourceId target = dir.resolve(fileName, StandardResolveOptions.RESOLVE_FILE);
    ResourceId temp = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".tmp",
        StandardResolveOptions.RESOLVE_FILE);
    try {
      try (OutputStream stream = Channels.newOutputStream(FileSystems.create(temp, mimeType))) {
        content.writeTo(stream);
      }
      FileSystems.rename(List.of(temp), List.of(target), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
    } catch (IOException | RuntimeException e) {
      // a full disk or a failed rename leaves no temporary file behind
      try {
        FileSystems.delete(List.of(temp), MoveOptions.StandardMoveOptions.IGNORE_MISSING_FILES);
      } catch (IOException | RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (e instanceof IOException io) {
        throw new IOException("cannot write " + target + ": " + io.getMessage(), io);
      }
      throw e;
    }
    return target;
  }

  /** A JSON file a stage wrote into its local output directory, for the end-of-run summary. */
  public static com.fasterxml.jackson.databind.JsonNode readJson(String directory, String fileName)
      throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(java.nio.file.Path.of(directory, fileName)
        .toFile());
  }
}
