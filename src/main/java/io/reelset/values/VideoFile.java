package io.reelset.values;

import java.io.Serializable;
import java.util.Objects;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One video of the corpus, before it is probed or decoded.
 *
 * @param key the stable key every later stage uses for this video: its relative path, made safe
 *     for file names, and a fingerprint of its size and first bytes
 * @param path where it is: a local path or a URI of any Beam file system
 * @param relativePath its path below the input root ({@code season1/ep01.mkv})
 * @param fingerprint hex SHA-256 prefix of the size and the first bytes of the file
 */
@DefaultCoder(VideoFileCoder.class)
public record VideoFile(String key, String path, String relativePath, long sizeBytes, String fingerprint)
    implements Serializable {

  public VideoFile {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(relativePath, "relativePath");
    Objects.requireNonNull(fingerprint, "fingerprint");
  }
}
