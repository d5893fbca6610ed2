package io.reelset.stages.dataset;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelset.kit.OutputFiles;
import io.reelset.values.DatasetRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The files that describe a written dataset: {@code dataset_config.toml} (kohya_ss sd-scripts),
 * {@code metadata.jsonl} per split (Hugging Face imagefolder), {@code stats.json}; and the removal
 * of images a previous run wrote that this one did not, so a rerun never leaves duplicates.
 */
final class DatasetIndex {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DatasetIndex() {}

  static void write(List<DatasetRecord> unsorted, DatasetSettings settings) throws IOException {
    List<DatasetRecord> records = new ArrayList<>(unsorted);
    records.sort(Comparator.comparing(DatasetRecord::file));
    String out = settings.outputDir();
    if (settings.kohya()) {
      OutputFiles.writeBytes(out, "dataset_config.toml", toml(records, settings).getBytes(StandardCharsets.UTF_8));
    } else {
      Map<String, List<String>> lines = new TreeMap<>();
      for (DatasetRecord r : records) {
        if (DatasetSettings.apart(r.split())) {
          continue;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("file_name", r.file().substring(r.file().indexOf('/') + 1));
        List<String> captions = List.of(r.caption().split("\n"));
        line.put("text", captions.get(0));
        if (captions.size() > 1) {
          line.put("captions", captions);
        }
        line.put("identity", r.name());
        line.put("trigger", r.trigger());
        line.put("video", r.videoKey());
        line.put("timestamp", r.ptsMs() / 1000.0);
        if (!r.track().isEmpty()) {
          line.put("track", r.track());
        }
        lines.computeIfAbsent(r.split(), k -> new ArrayList<>()).add(JSON.writeValueAsString(line));
      }
      for (Map.Entry<String, List<String>> split : lines.entrySet()) {
        OutputFiles.writeLines(out + "/" + split.getKey(), "metadata.jsonl", split.getValue());
      }
    }
    removeStale(records, settings);
  }

  /** The smallest bucket side the trainer makes: sd-scripts' default 256, at most half the resolution. */
  static int minBucket(DatasetSettings settings) {
    return Math.max(64, Math.min(256, settings.maxSide() / 2 / 64 * 64));
  }

  /** sd-scripts' dataset config: one subset per identity folder. */
  static String toml(List<DatasetRecord> records, DatasetSettings settings) {
    Map<String, DatasetRecord> folders = new TreeMap<>();
    boolean reg = false;
    for (DatasetRecord r : records) {
      if (r.split().equals("train")) {
        folders.putIfAbsent(r.file().substring(0, r.file().lastIndexOf('/')), r);
      }
      reg |= r.split().equals(DatasetFns.REG);
    }
    String root = Path.of(settings.outputDir()).toAbsolutePath().normalize().toString();
    Captions captions = settings.captions();
    StringBuilder t = new StringBuilder();
    t.append("# kohya_ss sd-scripts dataset config, written by reelset: train with --dataset_config ")
        .append(quote(root + "/dataset_config.toml")).append('\n');
    if (settings.relativePaths()) {
      t.append("# image_dir is relative: run the trainer from the folder this file is in\n");
    }
    if (settings.maskedLoss()) {
      t.append("# the images' alpha is the character's mask: train with --masked_loss\n");
    }
    t.append("[general]\n");
    t.append("caption_extension = ").append(quote(settings.captionExtension())).append('\n');
    t.append("shuffle_caption = ").append(settings.shuffle()).append('\n');
    if (!captions.separator().isEmpty()) {
      t.append("keep_tokens_separator = ").append(quote(captions.separator())).append('\n');
    } else {
      t.append("keep_tokens = ").append(captions.fixedTokens()).append('\n');
    }
    if (captions.templates().size() > 1) {
      t.append("enable_wildcard = true\n");
    }
    t.append("\n[[datasets]]\n");
    t.append("resolution = ").append(settings.maxSide()).append('\n');
    t.append("batch_size = 1\n");
    t.append("enable_bucket = true\n");
    t.append("bucket_reso_steps = 64\n");
    t.append("min_bucket_reso = ").append(minBucket(settings)).append('\n');
    t.append("max_bucket_reso = ").append(settings.maxSide()).append('\n');
    for (Map.Entry<String, DatasetRecord> folder : folders.entrySet()) {
      DatasetRecord r = folder.getValue();
      String classTokens = SafeNames.component(r.trigger(), false)
          + (settings.classToken().isBlank() ? "" : " " + SafeNames.component(settings.classToken(), false));
      t.append("\n  [[datasets.subsets]]\n");
      t.append("  image_dir = ").append(quote(settings.relativePaths() ? folder.getKey() : root + "/" + folder.getKey()))
          .append('\n');
      t.append("  num_repeats = ").append(r.repeats()).append('\n');
      t.append("  class_tokens = ").append(quote(classTokens)).append('\n');
      t.append("  caption_extension = ").append(quote(settings.captionExtension())).append('\n');
      if (settings.maskedLoss()) {
        t.append("  alpha_mask = true\n");
      }
    }
    if (reg) {
      t.append("\n  [[datasets.subsets]]\n");
      t.append("  image_dir = ").append(quote(settings.relativePaths() ? settings.regFolder()
          : root + "/" + settings.regFolder())).append('\n');
      t.append("  is_reg = true\n");
      t.append("  num_repeats = 1\n");
      t.append("  class_tokens = ").append(quote(SafeNames.text(settings.regClassTokens()))).append('\n');
      t.append("  caption_extension = ").append(quote(settings.captionExtension())).append('\n');
    }
    return t.toString();
  }

  /** A TOML basic string. */
  static String quote(String s) {
    StringBuilder q = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> q.append("\\\"");
        case '\\' -> q.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            q.append(String.format("\\u%04X", (int) c));
          } else {
            q.append(c);
          }
        }
      }
    }
    return q.append('"').toString();
  }

  /** {@code stats.json}: images, repeats and sizes per identity, those left out, failures by stage. */
  static String stats(List<DatasetRecord> records, List<DatasetFns.IdentitySummary> summaries,
      FailureDigest failures, List<String> problems, DatasetSettings settings) throws IOException {
    Map<String, Map<String, Object>> byIdentity = new TreeMap<>();
    long noise = 0;
    long small = 0;
    long reg = 0;
    Map<String, Long> buckets = new TreeMap<>();
    long upscaled = 0;
    Buckets trainer = Buckets.of(settings.maxSide(), minBucket(settings), settings.maxSide(), 64);
    for (DatasetRecord r : records) {
      if (r.split().equals("noise")) {
        noise++;
        continue;
      }
      if (r.split().equals("small")) {
        small++;
        continue;
      }
      if (r.split().equals(DatasetFns.REG)) {
        reg++;
        continue;
      }
      if (settings.kohya() && r.split().equals("train")) {
        int[] bucket = trainer.bucket(r.width(), r.height());
        buckets.merge(bucket[0] + "x" + bucket[1], 1L, Long::sum);
        if (r.width() < bucket[0] || r.height() < bucket[1]) {
          upscaled++;
        }
      }
      Map<String, Object> s = byIdentity.computeIfAbsent(r.identity(), k -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.identity());
        m.put("name", r.name());
        m.put("trigger", r.trigger());
        m.put("train", 0L);
        m.put("validation", 0L);
        m.put("repeats", r.repeats());
        m.put("sizes", new TreeMap<String, Long>());
        return m;
      });
      s.merge(r.split(), 1L, (a, b) -> (Long) a + (Long) b);
      @SuppressWarnings("unchecked")
      Map<String, Long> sizes = (Map<String, Long>) s.get("sizes");
      sizes.merge(r.width() + "x" + r.height(), 1L, Long::sum);
    }
    List<Map<String, Object>> dropped = new ArrayList<>();
    for (DatasetFns.IdentitySummary summary : summaries) {
      Map<String, Object> s = byIdentity.get(summary.identity());
      if (s != null) {
        s.put("candidates", summary.candidates());
        s.put("too_small", summary.small());
        s.put("steps_per_epoch", (Long) s.get("train") * summary.repeats());
        s.put("core_tags", summary.prunedTags());
      } else if (summary.dropped() != null && !summary.identity().equals("noise")) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", summary.identity());
        d.put("name", summary.name());
        d.put("candidates", summary.candidates());
        d.put("too_small", summary.small());
        d.put("reason", summary.dropped());
        dropped.add(d);
      }
    }
    dropped.sort(Comparator.comparing(d -> (String) d.get("id")));
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("format", settings.format());
    stats.put("images", records.size() - noise - small - reg);
    stats.put("train", records.stream().filter(r -> r.split().equals("train")).count());
    stats.put("validation", records.stream().filter(r -> r.split().equals("validation")).count());
    stats.put("noise_kept_apart", noise);
    if (settings.regImages() > 0) {
      stats.put("regularisation", reg);
    }
    stats.put("min_side", settings.minSide());
    stats.put("too_small", summaries.stream().mapToLong(DatasetFns.IdentitySummary::small).sum());
    stats.put("too_small_kept_apart", small);
    if (settings.kohya()) {
      Map<String, Object> b = new LinkedHashMap<>();
      b.put("resolution", settings.maxSide());
      b.put("bucket_reso_steps", 64);
      b.put("min_bucket_reso", minBucket(settings));
      b.put("max_bucket_reso", settings.maxSide());
      b.put("images_per_bucket", buckets);
      b.put("upscaled_by_the_trainer", upscaled);
      stats.put("buckets", b);
    }
    stats.put("identities", new ArrayList<>(byIdentity.values()));
    stats.put("dropped", dropped);
    stats.put("failures", failures.byStage);
    stats.put("check", problems);
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(stats) + "\n";
  }

  /**
   * Deletes the files an earlier run wrote that this one did not (local output only; never a file
   * reelset did not write, see {@link DatasetOwnership}).
   */
  private static void removeStale(List<DatasetRecord> records, DatasetSettings settings) throws IOException {
    Set<String> kept = new HashSet<>();
    for (DatasetRecord r : records) {
      kept.add(r.file());
      String folder = r.file().substring(0, r.file().lastIndexOf('/'));
      String name = r.file().substring(folder.length() + 1);
      if (settings.captioned(r.split())) {
        kept.add(folder + "/" + name.substring(0, name.lastIndexOf('.')) + settings.captionExtension());
      } else {
        kept.add(folder + "/metadata.jsonl");
      }
    }
    DatasetOwnership.claim(settings.outputDir());
    DatasetOwnership.finish(settings.outputDir(), kept);
  }
}
