package io.reelset.media;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Stable keys for videos, and the path arithmetic of corpus inputs (globs, directories, list
 * files), without touching any file system.
 *
 * <p>A key is the relative path made safe for a file name (its last 100 characters) plus a hash
 * of the whole relative path as written, the size and the first bytes:
 * {@code season1__ep01.mkv-3fa2b9c01d2e}. The same file under the same input root has the same key
 * on every run and every machine; a changed file gets a new one, and two files get two keys even
 * when their names clean alike and their contents start alike.
 */
public final class VideoKeys {
  /** File name endings taken as videos when the input is a directory. */
  /** The endings a directory input takes as videos, as one text (a config default is text). */
  public static final String EXTENSIONS = "mkv,mp4,m4v,mov,avi,webm,mpg,mpeg,ts,m2ts,wmv,flv,ogv";
  public static final List<String> DEFAULT_EXTENSIONS = List.of(EXTENSIONS.split(","));
  private static final Set<Character> WILDCARDS = Set.of('*', '?', '[', '{');
  private static final int FINGERPRINT_HEX = 12;

  private VideoKeys() {}

  public static String key(String relativePath, long size, byte[] head, int headLength) {
    StringBuilder safe = new StringBuilder();
    for (String segment : relativePath.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (safe.length() > 0) {
        safe.append("__");
      }
      safe.append(segment.equals("..") ? "up" : segment.replaceAll("[^A-Za-z0-9._-]", "_"));
    }
    String name = safe.length() > 100 ? safe.substring(safe.length() - 100) : safe.toString();
    MessageDigest sha = sha256();
    sha.update(relativePath.getBytes(StandardCharsets.UTF_8));
    sha.update((byte) 0);
    sha.update(fingerprint(size, head, headLength).getBytes(StandardCharsets.US_ASCII));
    return name + "-" + HexFormat.of().formatHex(sha.digest()).substring(0, FINGERPRINT_HEX);
  }

  /** Hex SHA-256 of the size (as decimal text and a newline) and the first bytes. */
  public static String fingerprint(long size, byte[] head, int headLength) {
    MessageDigest sha = sha256();
    sha.update((size + "\n").getBytes(StandardCharsets.US_ASCII));
    sha.update(head, 0, headLength);
    return HexFormat.of().formatHex(sha.digest());
  }

  /** A new SHA-256 digest. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  public static boolean isGlob(String input) {
    return input.chars().anyMatch(c -> WILDCARDS.contains((char) c));
  }

  /** The directory part of a glob before its first wildcard, ending in '/', or "" if none. */
  public static String globRoot(String glob) {
    int firstWildcard = 0;
    while (firstWildcard < glob.length() && !WILDCARDS.contains(glob.charAt(firstWildcard))) {
      firstWildcard++;
    }
    int slash = glob.lastIndexOf('/', firstWildcard);
    return slash < 0 ? "" : glob.substring(0, slash + 1);
  }

  /** {@code path} relative to {@code root} if below it, else its file name. */
  public static String relativize(String root, String path) {
    String base = root.endsWith("/") || root.isEmpty() ? root : root + "/";
    if (!base.isEmpty() && path.startsWith(base)) {
      return path.substring(base.length());
    }
    if (base.startsWith("file://") || base.startsWith("/")) {
      String bare = base.replaceFirst("^file://", "");
      String barePath = path.replaceFirst("^file://", "");
      if (barePath.startsWith(bare)) {
        return barePath.substring(bare.length());
      }
    }
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static boolean hasExtension(String path, List<String> extensions) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    return dot > 0 && extensions.stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).equals(name.substring(dot + 1)));
  }

  /** True for a list file: a text file naming one video per line. */
  public static boolean isListFile(String path) {
    return hasExtension(path, List.of("txt", "list", "lst"));
  }

  /**
   * The entries of a list file: one path or URI per line; blank lines and lines starting with
   * {@code #} are skipped; relative paths are taken from {@code listDir} (ending in '/').
   */
  public static List<String> parseList(String text, String listDir) {
    List<String> entries = new ArrayList<>();
    for (String line : text.split("\\R")) {
      String entry = line.strip();
      if (entry.isEmpty() || entry.startsWith("#")) {
        continue;
      }
      boolean absolute = entry.startsWith("/") || entry.matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
      entries.add(absolute ? entry : listDir + entry);
    }
    return entries;
  }
}
