package io.reelset.kit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.apache.beam.sdk.coders.Coder;

/**
 * The completion records of one stage step: for each item key, the item's complete output,
 * written after the output is, so that a later run of the same stage config reads it back instead
 * of computing it again ({@code reelset resume}).
 *
 * <p>A record is {@code <dir>/<2 hex>/<32 hex of SHA-256(key)>.rec}: a header, the item key, the
 * values encoded with their Beam coder, and a CRC-32 of everything before it. It is written to a
 * temporary file, forced to disk and renamed into place, so a crash mid-write leaves no record
 * (only a temporary file, which is ignored) and a record written twice (a retried bundle) is simply
 * replaced by an identical one. A record that does not check out counts as missing.
 *
 * <p>{@code dir} already names the stage's fingerprint ({@link Fingerprints}): a record can only
 * be read by a run whose stage config and upstream configs are the same.
 */
public final class Checkpoints implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x52534b31; // "RSK1"

  private final String directory;

  private Checkpoints(String directory) {
    this.directory = directory;
  }

  /** Records under {@code directory}, a local path (shared by every worker on a cluster). */
  public static Checkpoints in(String directory) {
    if (directory == null || directory.isBlank()) {
      throw new IllegalArgumentException("Checkpoints.in(directory): directory must not be empty");
    }
    return new Checkpoints(directory);
  }

  /** The records in a sub-directory {@code name}. */
  private Checkpoints step(String name) {
    return new Checkpoints(directory + "/" + name);
  }

  /** The records of one item's parts, in a sub-directory named by a hash of {@code key}. */
  public Checkpoints forItem(String key) {
    return step(sha256(key).substring(0, 16));
  }

  /** The keys of the complete-looking records here (a key whose record does not check out reads as null). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    Path root = Path.of(directory);
    if (!Files.isDirectory(root)) {
      return keys;
    }
    try (var files = Files.walk(root, 2)) {
      for (Path file : files.filter(Checkpoints::isRecord).toList()) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
          if (in.readInt() == MAGIC) {
            keys.add(in.readUTF());
          }
        } catch (IOException e) {
          // a record being replaced, or cut short: not a key to offer
        }
      }
    } catch (IOException e) {
      return keys;
    }
    return keys;
  }

  private static boolean isRecord(Path p) {
    String name = p.getFileName().toString();
    return name.endsWith(".rec") && !name.startsWith(".");
  }

  /** The item's recorded output, or null when it has no complete record. */
  public <T> List<T> read(String key, Coder<T> coder) {
    try (DataInputStream in = open(key)) {
      if (in == null) {
        return null;
      }
      int count = in.readInt();
      List<T> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        byte[] encoded = new byte[in.readInt()];
        in.readFully(encoded);
        values.add(coder.decode(new ByteArrayInputStream(encoded)));
      }
      return values;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The record's values, past its header and key, or null when it is missing or does not check out. */
  private DataInputStream open(String key) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(key));
    } catch (NoSuchFileException e) {
      return null;
    }
    if (bytes.length < 12) {
      return null;
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    if (crc.getValue() != ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong()) {
      return null;
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
    if (in.readInt() != MAGIC || !in.readUTF().equals(key)) {
      return null;
    }
    return in;
  }

  /**
   * Records the item's complete output. Call only once every file the output names is in place.
   * A record that cannot be written (a full disk) does not fail the item: it is only done again
   * by a resume, so this returns false rather than throwing.
   */
  public <T> boolean write(String key, List<T> values, Coder<T> coder) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeUTF(key);
      out.writeInt(values.size());
      for (T value : values) {
        ByteArrayOutputStream encoded = new ByteArrayOutputStream();
        coder.encode(value, encoded);
        out.writeInt(encoded.size());
        encoded.writeTo(out);
      }
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException | RuntimeException e) {
      return false;
    }
    Path target = file(key);
    Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      Files.createDirectories(target.getParent());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      try {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return true;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(temp); // a full disk leaves no half-written temporary behind
      } catch (IOException ignored) {
        // the record is missing either way; a later run writes it again
      }
      return false;
    }
  }

  /** How many complete-looking records there are (temporary files left by a crash not counted). */
  public static long count(Path directory) {
    if (!Files.isDirectory(directory)) {
      return 0;
    }
    try (var files = Files.walk(directory)) {
      return files.filter(Checkpoints::isRecord).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private Path file(String key) {
    String name = sha256(key);
    return Path.of(directory, name.substring(0, 2), name.substring(0, 32) + ".rec");
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
