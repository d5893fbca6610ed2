package io.reelset.compile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.reelset.plan.Plan;
import io.reelset.spec.StageSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A fingerprint per stage of a plan: SHA-256 (16 hex digits) of the stage's type, its resolved
 * config, the content of the files its provider names ({@link StageProvider#fingerprintFiles}:
 * a model, identities.yaml), the version of any built-in algorithm it names
 * ({@link StageProvider#fingerprintVersion}) and the fingerprints of the stages it depends on. Completion records
 * live under it, so editing a stage's config invalidates that stage and everything downstream of
 * it, and nothing upstream. Resources and retry settings do not change what a stage produces and
 * are left out.
 */
public final class Fingerprints {
  static final String VERSION = "reelset-fingerprint-1";
  /** Files larger than this are fingerprinted by size and modification time, not content. */
  static final long HASHED_BYTES = 64L << 20;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private Fingerprints() {}

  /** Fingerprints by stage id, in plan order. */
  public static Map<String, String> of(Plan plan, StageRegistry registry) {
    Map<String, String> fingerprints = new LinkedHashMap<>();
    for (StageSpec stage : plan.order()) {
      MessageDigest digest = sha256();
      update(digest, VERSION);
      update(digest, stage.type());
      try {
        update(digest, JSON.writeValueAsString(stage.config().asMap()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot fingerprint the config of stage '" + stage.id() + "'", e);
      }
      for (String file : registry.provider(stage.type()).fingerprintFiles(stage.config())) {
        update(digest, file);
        update(digest, fileDigest(Path.of(file)));
      }
      String version = registry.provider(stage.type()).fingerprintVersion(stage.config());
      if (!version.isEmpty()) {
        update(digest, version);
      }
      for (String upstream : stage.dependsOn()) {
        update(digest, fingerprints.get(upstream));
      }
      fingerprints.put(stage.id(), HexFormat.of().formatHex(digest.digest()).substring(0, 16));
    }
    return fingerprints;
  }

  private static String fileDigest(Path file) {
    try {
      if (!Files.isRegularFile(file)) {
        return "missing";
      }
      long size = Files.size(file);
      if (size > HASHED_BYTES) {
        return size + "@" + Files.getLastModifiedTime(file).toMillis();
      }
      MessageDigest digest = sha256();
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private static void update(MessageDigest digest, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    digest.update(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
    digest.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
