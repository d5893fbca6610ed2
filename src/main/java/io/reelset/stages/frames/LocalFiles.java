package io.reelset.stages.frames;

import io.reelset.media.VideoKeys;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import org.apache.beam.sdk.io.FileSystems;

/**
 * FFmpeg reads local files: a local path is used as it is; a file on another Beam file system
 * ({@code gs://}, {@code s3://}, ...) is copied once to the worker's temporary directory.
 */
final class LocalFiles {
  private LocalFiles() {}

  static String localPath(String path, long size) throws IOException {
    if (path.startsWith("file://")) {
      return path.substring("file://".length());
    }
    if (!path.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return path;
    }
    Path dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "reelset-media"));
    String name = HexFormat.of().formatHex(
        VideoKeys.sha256().digest(path.getBytes(StandardCharsets.UTF_8)))
        .substring(0, 16) + "-" + path.substring(path.lastIndexOf('/') + 1);
    Path local = dir.resolve(name);
    if (Files.exists(local) && Files.size(local) == size) {
      return local.toString();
    }
    Path temp = Files.createTempFile(dir, name, ".part");
    try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
      Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(temp, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return local.toString();
  }
}
