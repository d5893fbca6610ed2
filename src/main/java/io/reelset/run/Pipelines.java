package io.reelset.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pipelines registered with {@code reelset create}: a copy of the file and its params under
 * {@code <runs>/.pipelines/<id>/}, so that {@code reelset run --pipeline-id ID} runs exactly what
 * was validated. The id is the pipeline's name and a hash of the file and params: registering the
 * same thing twice gives the same id.
 */
public final class Pipelines {
  public static final String DIR = ".pipelines";
  static final String FILE = "pipeline.yaml";
  static final String META = "pipeline.json";
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Pipelines() {}

  /** A registered pipeline. */
  public record Registered(String id, String name, Path file, String source, Map<String, String> params,
      String created) {}

  /** Registers a validated pipeline file; returns its id. */
  public static Registered register(Path runsDir, String name, Path source, Map<String, String> params)
      throws IOException {
    byte[] content = Files.readAllBytes(source);
    Map<String, String> sorted = new TreeMap<>(params);
    String id = safe(name) + "-" + hash(content, sorted.toString());
    Path dir = runsDir.resolve(DIR).resolve(id);
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    Registered registered = new Registered(id, name, file, source.toAbsolutePath().normalize().toString(), sorted,
        Instant.now().toString());
    if (!Files.exists(dir.resolve(META))) {
      Files.write(file, content);
      Files.write(dir.resolve(META), JSON.writeValueAsBytes(registered));
    }
    return registered;
  }

  /**
   * The pipeline registered as {@code id}.
   *
   * @throws IllegalArgumentException naming the id and where it was looked for
   */
  public static Registered find(Path runsDir, String id) {
    Path dir = runsDir.resolve(DIR).resolve(id);
    if (!RunDirectory.RUN_ID.matcher(id).matches() || !Files.isRegularFile(dir.resolve(META))) {
      throw new IllegalArgumentException("no pipeline '" + id + "' is registered in "
          + runsDir.resolve(DIR).toAbsolutePath().normalize() + "; register one with reelset create --config FILE");
    }
    Registered meta;
    try {
      meta = JSON.readValue(dir.resolve(META).toFile(), Registered.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("pipeline '" + id + "': " + dir.resolve(META) + " is damaged: "
          + RunDirectory.jsonProblem(e), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("pipeline '" + id + "': cannot read " + dir.resolve(META) + ": "
          + e.getMessage(), e);
    }
    if (meta == null || meta.id() == null || meta.params() == null) {
      throw new IllegalArgumentException("pipeline '" + id + "': " + dir.resolve(META) + " is damaged: it holds "
          + (meta == null ? "null" : "no id or params") + "; register the pipeline again with reelset create");
    }
    return new Registered(meta.id(), meta.name(), dir.resolve(FILE), meta.source(), meta.params(), meta.created());
  }

  private static String safe(String name) {
    String s = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    return s.isEmpty() ? "pipeline" : s.length() > 80 ? s.substring(0, 80) : s;
  }

  private static String hash(byte[] content, String params) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(content);
      digest.update(params.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest()).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
