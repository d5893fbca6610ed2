package io.reelset.stages.dataset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import io.reelset.spec.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Checks a dataset the way its trainer will read it, before hours of training find out: a kohya_ss
 * dataset ({@code dataset_config.toml} with only the keys sd-scripts accepts — it refuses unknown
 * ones —, image directories that exist and hold images, folders named {@code <repeats>_<name>}
 * under {@code img/}, a caption beside every image) or a Hugging Face imagefolder
 * ({@code metadata.jsonl} lines with {@code file_name} and {@code text}, naming files that
 * exist, and every image named); in both, no image whose shorter side is under the minimum.
 */
public final class DatasetCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "webp", "bmp");
  private static final Pattern FOLDER = Pattern.compile("\\d+_.+");

  // sd-scripts library/config_util.py, ConfigSanitizer (v0.9): the DreamBooth-style keys
  private static final Set<String> SUBSET_ASCENDABLE = Set.of("color_aug", "face_crop_aug_range", "flip_aug",
      "num_repeats", "random_crop", "shuffle_caption", "keep_tokens", "keep_tokens_separator", "secondary_separator",
      "caption_separator", "enable_wildcard", "token_warmup_min", "token_warmup_step", "caption_prefix",
      "caption_suffix", "custom_attributes", "resize_interpolation", "caption_dropout_every_n_epochs",
      "caption_dropout_rate", "caption_tag_dropout_rate", "caption_extension", "class_tokens", "cache_info");
  private static final Set<String> DATASET_ASCENDABLE = Set.of("batch_size", "bucket_no_upscale",
      "bucket_reso_steps", "enable_bucket", "max_bucket_reso", "min_bucket_reso", "resolution", "network_multiplier",
      "validation_seed", "validation_split", "resize_interpolation");
  /** Keys [general] may hold. */
  static final Set<String> GENERAL = union(SUBSET_ASCENDABLE, DATASET_ASCENDABLE);
  /** Keys a [[datasets]] table may hold. */
  static final Set<String> DATASET = union(GENERAL, Set.of("subsets"));
  /** Keys a [[datasets.subsets]] table may hold. */
  static final Set<String> SUBSET = union(SUBSET_ASCENDABLE, Set.of("image_dir", "is_reg", "alpha_mask",
      "metadata_file"));

  private DatasetCheck() {}

  /**
   * What was found: the layout, one line per problem (a path relative to the dataset, then what is
   * wrong and what to do), and, when there is none, the command that trains on it.
   */
  public record Result(String format, List<String> problems, String command) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  /**
   * Checks the dataset in {@code dir}.
   *
   * @param minSide the smallest shorter side an image may have; -1 for a quarter of the toml's
   *     resolution (256 without one)
   */
  public static Result check(Path dir, int minSide) {
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new Result("none", List.of("not a directory"), null);
    }
    if (Files.isRegularFile(dir.resolve("dataset_config.toml")) || Files.isDirectory(dir.resolve("img"))) {
      boolean masked = kohya(dir, minSide, problems);
      Path toml = dir.resolve("dataset_config.toml").toAbsolutePath();
      String command = "accelerate launch train_network.py --dataset_config \"" + toml + "\""
          + " --pretrained_model_name_or_path BASE_MODEL --network_module networks.lora --output_dir OUTPUT_DIR"
          + (masked ? " --masked_loss" : "");
      return new Result("kohya", problems, problems.isEmpty() ? command : null);
    }
    if (Files.isRegularFile(dir.resolve("train/metadata.jsonl"))) {
      for (String split : List.of("train", "validation")) {
        if (Files.isDirectory(dir.resolve(split))) {
          huggingFace(dir, split, minSide < 0 ? 256 : minSide, problems);
        }
      }
      String command = "python -c 'import datasets; print(datasets.load_dataset(\"imagefolder\", data_dir=\""
          + dir.toAbsolutePath() + "\"))'";
      return new Result("hf", problems, problems.isEmpty() ? command : null);
    }
    return new Result("none", List.of("not a dataset: no dataset_config.toml or img/ (kohya_ss) and no"
        + " train/metadata.jsonl (Hugging Face imagefolder)"), null);
  }

  /** Checks a kohya_ss dataset; whether its subsets have alpha masks. */
  private static boolean kohya(Path dir, int minSide, List<String> problems) {
    Path tomlFile = dir.resolve("dataset_config.toml");
    List<Path> imageDirs = new ArrayList<>();
    List<String> extensions = new ArrayList<>();
    boolean masked = false;
    int smallest = minSide;
    if (Files.isRegularFile(tomlFile)) {
      JsonNode toml;
      try {
        toml = new TomlMapper().readTree(tomlFile.toFile());
      } catch (IOException e) {
        problems.add("dataset_config.toml: not valid TOML: " + firstLine(e.getMessage()));
        return false;
      }
      keys(toml, Set.of("general", "datasets"), "the top level", problems);
      JsonNode general = toml.path("general");
      keys(general, GENERAL, "[general]", problems);
      JsonNode datasets = toml.path("datasets");
      if (!datasets.isArray() || datasets.isEmpty()) {
        problems.add("dataset_config.toml: no [[datasets]]; sd-scripts finds no data");
      }
      int d = 0;
      for (JsonNode dataset : datasets) {
        d++;
        keys(dataset, DATASET, "[[datasets]] " + d, problems);
        if (smallest < 0) {
          JsonNode resolution = dataset.has("resolution") ? dataset.get("resolution") : general.path("resolution");
          int side = resolution.isArray() ? Math.min(resolution.path(0).asInt(), resolution.path(1).asInt())
              : resolution.asInt(1024);
          smallest = side / 4;
        }
        JsonNode subsets = dataset.path("subsets");
        if (!subsets.isArray() || subsets.isEmpty()) {
          problems.add("dataset_config.toml: [[datasets]] " + d + " has no [[datasets.subsets]]");
        }
        int s = 0;
        for (JsonNode subset : subsets) {
          s++;
          String where = "[[datasets.subsets]] " + s + " of [[datasets]] " + d;
          keys(subset, SUBSET, where, problems);
          masked |= subset.path("alpha_mask").asBoolean(false);
          if (!subset.hasNonNull("image_dir")) {
            problems.add("dataset_config.toml: " + where + " has no image_dir");
            continue;
          }
          Path imageDir = dir.resolve(subset.get("image_dir").asText());
          if (!Files.isDirectory(imageDir)) {
            problems.add("dataset_config.toml: " + where + ": image_dir " + subset.get("image_dir").asText()
                + " does not exist");
            continue;
          }
          imageDirs.add(imageDir);
          extensions.add(subset.has("metadata_file") ? null : text(subset, dataset, general, "caption_extension",
              ".caption"));
        }
      }
    } else {
      problems.add("dataset_config.toml: missing; write one or train with --train_data_dir " + dir.resolve("img"));
    }
    Path img = dir.resolve("img");
    if (Files.isDirectory(img)) {
      try (Stream<Path> folders = Files.list(img)) {
        for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
          if (!FOLDER.matcher(folder.getFileName().toString()).matches()) {
            problems.add(relative(dir, folder) + ": folder name is not <repeats>_<name> (e.g. 10_blupi character);"
                + " kohya_ss skips it");
          }
          if (!imageDirs.contains(folder) && !Files.isRegularFile(tomlFile)) {
            imageDirs.add(folder);
            extensions.add(".txt");
          }
        }
      } catch (IOException e) {
        problems.add("img: cannot be listed: " + e.getMessage());
      }
    }
    for (int i = 0; i < imageDirs.size(); i++) {
      images(dir, imageDirs.get(i), extensions.get(i), smallest < 0 ? 256 : smallest, problems);
    }
    return masked;
  }

  /** The subset's value of {@code key}, else its dataset's, else [general]'s, else sd-scripts' default. */
  private static String text(JsonNode subset, JsonNode dataset, JsonNode general, String key, String fallback) {
    for (JsonNode table : List.of(subset, dataset, general)) {
      if (table.hasNonNull(key)) {
        return table.get(key).asText();
      }
    }
    return fallback;
  }

  private static void keys(JsonNode table, Set<String> allowed, String where, List<String> problems) {
    for (Iterator<String> names = table.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        problems.add("dataset_config.toml: " + where + ": unknown key '" + name + "'"
            + Suggestions.didYouMean(name, allowed) + "; sd-scripts refuses a config with keys it does not know");
      }
    }
  }

  /** Every image of {@code folder} has its caption (unless {@code extension} is null) and is big enough. */
  private static void images(Path dir, Path folder, String extension, int minSide, List<String> problems) {
    List<Path> images;
    try (Stream<Path> files = Files.list(folder)) {
      images = files.filter(f -> Files.isRegularFile(f) && IMAGES.contains(extension(f))).sorted().toList();
    } catch (IOException e) {
      problems.add(relative(dir, folder) + ": cannot be listed: " + e.getMessage());
      return;
    }
    if (images.isEmpty()) {
      problems.add(relative(dir, folder) + ": no images (png, jpg, webp, bmp); the trainer says \"No data found\"");
    }
    for (Path image : images) {
      String name = image.getFileName().toString();
      String stem = name.substring(0, name.lastIndexOf('.'));
      if (extension != null && !Files.isRegularFile(folder.resolve(stem + extension))) {
        problems.add(relative(dir, image) + ": no caption " + stem + extension);
      }
      size(dir, image, minSide, problems);
    }
  }

  /** A Hugging Face split: metadata lines that parse and name files that exist, and every image named. */
  private static void huggingFace(Path dir, String split, int minSide, List<String> problems) {
    Path metadata = dir.resolve(split).resolve("metadata.jsonl");
    Set<String> named = new TreeSet<>();
    if (!Files.isRegularFile(metadata)) {
      problems.add(split + "/metadata.jsonl: missing; the images of " + split + "/ have no captions");
    } else {
      try {
        List<String> lines = Files.readAllLines(metadata);
        for (int n = 0; n < lines.size(); n++) {
          if (lines.get(n).isBlank()) {
            continue;
          }
          String where = split + "/metadata.jsonl:" + (n + 1);
          JsonNode line;
          try {
            line = JSON.readTree(lines.get(n));
          } catch (IOException e) {
            String why = firstLine(e.getMessage());
            problems.add(where + ": not JSON: " + (why.contains(" (") ? why.substring(0, why.indexOf(" (")) : why));
            continue;
          }
          if (!line.hasNonNull("file_name")) {
            problems.add(where + ": no file_name");
            continue;
          }
          if (!line.hasNonNull("text")) {
            problems.add(where + ": no text (the caption)");
          }
          String file = line.get("file_name").asText();
          named.add(file);
          if (!Files.isRegularFile(dir.resolve(split).resolve(file))) {
            problems.add(where + ": file_name " + file + " does not exist");
          }
        }
      } catch (IOException e) {
        problems.add(split + "/metadata.jsonl: cannot be read: " + e.getMessage());
      }
    }
    try (Stream<Path> files = Files.list(dir.resolve(split))) {
      for (Path image : files.filter(f -> IMAGES.contains(extension(f))).sorted().toList()) {
        if (Files.isRegularFile(metadata) && !named.contains(image.getFileName().toString())) {
          problems.add(relative(dir, image) + ": not in " + split + "/metadata.jsonl (no caption)");
        }
        size(dir, image, minSide, problems);
      }
    } catch (IOException e) {
      problems.add(split + ": cannot be listed: " + e.getMessage());
    }
  }

  private static void size(Path dir, Path image, int minSide, List<String> problems) {
    int[] size = dimensions(image);
    if (size == null) {
      problems.add(relative(dir, image) + ": not an image that can be read");
    } else if (Math.min(size[0], size[1]) < minSide) {
      problems.add(relative(dir, image) + ": " + size[0] + "x" + size[1] + " is under the minimum of " + minSide
          + " pixels on its shorter side; the trainer would up-scale it");
    }
  }

  /** Width and height from the image's header, or null. */
  private static int[] dimensions(Path image) {
    try (InputStream in = Files.newInputStream(image); ImageInputStream stream = ImageIO.createImageInputStream(in)) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(stream);
      if (!readers.hasNext()) {
        return webp(image);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(stream);
        return new int[] {reader.getWidth(0), reader.getHeight(0)};
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** A WebP's size from its VP8, VP8L or VP8X header (ImageIO has no WebP reader). */
  private static int[] webp(Path image) throws IOException {
    byte[] b = new byte[30];
    try (InputStream in = Files.newInputStream(image)) {
      if (in.readNBytes(b, 0, 30) < 30 || !new String(b, 0, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("RIFF")
          || !new String(b, 8, 4, java.nio.charset.StandardCharsets.US_ASCII).equals("WEBP")) {
        return null;
      }
    }
    String chunk = new String(b, 12, 4, java.nio.charset.StandardCharsets.US_ASCII);
    switch (chunk) {
      case "VP8 ":
        return new int[] {((b[26] & 0xff) | (b[27] & 0xff) << 8) & 0x3fff, ((b[28] & 0xff) | (b[29] & 0xff) << 8) & 0x3fff};
      case "VP8L": {
        int bits = (b[21] & 0xff) | (b[22] & 0xff) << 8 | (b[23] & 0xff) << 16 | (b[24] & 0xff) << 24;
        return new int[] {(bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1};
      }
      case "VP8X":
        return new int[] {1 + ((b[24] & 0xff) | (b[25] & 0xff) << 8 | (b[26] & 0xff) << 16),
            1 + ((b[27] & 0xff) | (b[28] & 0xff) << 8 | (b[29] & 0xff) << 16)};
      default:
        return null;
    }
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static String relative(Path dir, Path file) {
    try {
      return dir.toAbsolutePath().normalize().relativize(file.toAbsolutePath().normalize()).toString();
    } catch (IllegalArgumentException e) {
      return file.toString();
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
