package io.reelset.vision;

import ai.onnxruntime.OrtException;
import io.reelset.values.Tag;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tagger in the WD14 format — SmilingWolf's {@code wd-*-tagger-v2/v3} (SwinV2, ConvNeXt, ViT,
 * EVA02...): {@code model.onnx} with one {@code [N, size, size, 3]} BGR input (see
 * {@link TaggerInput}) and one {@code [N, tags]} output of sigmoid scores, and
 * {@code selected_tags.csv} ({@code tag_id,name,category,count}; category 0 general, 4 character,
 * 9 rating) naming the output's columns in order.
 */
public final class WdTagger implements AutoCloseable {

  /**
   * Where the tagger is and how to feed it.
   *
   * @param inputName the image input, null for the model's only one
   * @param outputName the scores, null for the model's only output
   * @param inputSize 0: the model's (448 when it is dynamic)
   */
  public record Model(String path, String tagsPath, String inputName, String outputName, int inputSize)
      implements Serializable {
    public String key() {
      return path + "|" + tagsPath + "|" + inputName + "|" + outputName + "|" + inputSize;
    }
  }

  /** One column of the model's output. */
  public record Column(String name, int category) implements Serializable {}

  /**
   * Which scores become tags and how they are written.
   *
   * @param ratings add the rating with the highest score (category 9)
   * @param undesired tags never given (compared without case, underscores as spaces)
   * @param underscores write underscores as spaces, except in kaomoji such as {@code ^_^}
   * @param escape write {@code (} and {@code )} as {@code \(} and {@code \)} (prompt syntax)
   * @param maxTags at most this many general tags, the strongest; 0 for no limit
   */
  public record Selection(double generalThreshold, double characterThreshold, boolean ratings, Set<String> undesired,
      boolean underscores, boolean escape, int maxTags) implements Serializable {
    public Selection {
      undesired = undesired.stream().map(WdTagger::normalise).collect(Collectors.toUnmodifiableSet());
    }
  }

  /** Tags whose underscores are part of the face they draw (as the WD14 webui extension keeps them). */
  static final Set<String> KAOMOJI = Set.of("0_0", "(o)_(o)", "+_+", "+_-", "._.", "<o>_<o>", "<|>_<|>", "=_=", ">_<",
      "3_3", "6_9", ">_o", "@_@", "^_^", "o_o", "u_u", "x_x", "|_|", "||_||");

  private final Model model;
  private final List<Column> columns;
  private final OnnxImageSession session;

  private WdTagger(Model model, List<Column> columns, OnnxImageSession session) {
    this.model = model;
    this.columns = columns;
    this.session = session;
  }

  /**
   * Loads the tag list and the model and checks that they match.
   *
   * @throws ModelException naming the file and what was expected
   */
  public static WdTagger open(Model model, OnnxSegmenter.Device device, int threads) throws ModelException {
    List<Column> columns = readColumns(Path.of(model.tagsPath()));
    SegmentationModel io = new SegmentationModel(model.path(), model.inputName(), model.outputName(),
        model.inputSize(), model.inputSize(), new float[] {0, 0, 0}, new float[] {1, 1, 1}, true);
    OnnxImageSession session = OnnxImageSession.open(io, OnnxImageSession.Layout.WD14, device, threads, "tagger",
        " (a WD14-format tagger: model.onnx and selected_tags.csv, e.g. SmilingWolf/wd-swinv2-tagger-v3; see the"
            + " README)");
    try {
      long[] shape = session.outputShape();
      if (shape.length != 2 || (shape[1] > 0 && shape[1] != columns.size())) {
        throw new ModelException("model " + model.path() + " output '" + session.model().outputName() + "' has shape "
            + java.util.Arrays.toString(shape) + ", but " + model.tagsPath() + " lists " + columns.size()
            + " tags; expected [N, " + columns.size() + "] (is it the tag list of this model?)");
      }
    } catch (ModelException e) {
      closeQuietly(session);
      throw e;
    }
    return new WdTagger(model, columns, session);
  }

  private static void closeQuietly(OnnxImageSession session) {
    try {
      session.close();
    } catch (OrtException ignored) {
      // it failed its checks; nothing more to free
    }
  }

  /** The columns of {@code selected_tags.csv}, in order. */
  public static List<Column> readColumns(Path csv) throws ModelException {
    if (!Files.isRegularFile(csv)) {
      throw new ModelException("tag list " + csv + " does not exist; a WD14 tagger comes with selected_tags.csv"
          + " (tag_id,name,category,count) beside its model.onnx");
    }
    List<Column> columns = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      List<String> names = header == null ? List.of() : csvFields(header.replace("\uFEFF", ""));
      int name = names.indexOf("name");
      int category = names.indexOf("category");
      if (name < 0 || category < 0) {
        throw new ModelException("tag list " + csv + " has header " + (header == null ? "nothing" : "'" + header + "'")
            + "; expected the columns tag_id,name,category,count");
      }
      String line;
      int row = 1;
      while ((line = in.readLine()) != null) {
        row++;
        if (line.isBlank()) {
          continue;
        }
        List<String> fields = csvFields(line);
        if (fields.size() <= Math.max(name, category)) {
          throw new ModelException("tag list " + csv + " line " + row + ": expected " + names.size()
              + " columns, found " + fields.size());
        }
        try {
          columns.add(new Column(fields.get(name), Integer.parseInt(fields.get(category).trim())));
        } catch (NumberFormatException e) {
          throw new ModelException("tag list " + csv + " line " + row + ": category '" + fields.get(category)
              + "' is not a number (0 general, 4 character, 9 rating)");
        }
      }
    } catch (IOException e) {
      throw new ModelException("tag list " + csv + " cannot be read: " + e.getMessage());
    }
    if (columns.isEmpty()) {
      throw new ModelException("tag list " + csv + " lists no tags");
    }
    return List.copyOf(columns);
  }

  /** The fields of one CSV line; double quotes around a field, {@code ""} inside one. */
  static List<String> csvFields(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString());
    return fields;
  }

  public Model model() {
    return model;
  }

  public List<Column> columns() {
    return columns;
  }

  /** {@code cpu} or {@code cuda}. */
  public String device() {
    return session.device();
  }

  /** The input size the model takes. */
  public int inputSize() {
    return session.model().width();
  }

  /** Scores per image (PNG or JPEG; transparency flattened on white), one per column. */
  public List<float[]> scores(List<RgbImage> images) throws OrtException {
    return session.run(images, (output, shape, index, image) -> {
      float[] scores = new float[columns.size()];
      output.position(index * columns.size());
      output.get(scores);
      return scores;
    });
  }

  /** An encoded image flattened on white, as the tagger reads it. */
  public static RgbImage decode(byte[] encoded) throws IOException {
    return OnnxEmbedder.flatten(encoded, 0xFFFFFF);
  }

  /**
   * The tags of one image's scores: character tags, then general ones, each strongest first (ties
   * in the tag list's order), then the rating.
   */
  public static List<Tag> select(float[] scores, List<Column> columns, Selection selection) {
    List<Tag> characters = new ArrayList<>();
    List<Tag> general = new ArrayList<>();
    Tag rating = null;
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      float score = scores[i];
      if (column.category() == Tag.RATING) {
        if (selection.ratings() && (rating == null || score > rating.score())) {
          rating = new Tag(text(column.name(), selection), Tag.RATING, score);
        }
        continue;
      }
      if (selection.undesired().contains(normalise(column.name()))) {
        continue;
      }
      if (column.category() == Tag.CHARACTER) {
        if (score >= selection.characterThreshold()) {
          characters.add(new Tag(text(column.name(), selection), Tag.CHARACTER, score));
        }
      } else if (score >= selection.generalThreshold()) {
        general.add(new Tag(text(column.name(), selection), Tag.GENERAL, score));
      }
    }
    Comparator<Tag> strongest = Comparator.comparingDouble(t -> -t.score());
    characters.sort(strongest);
    general.sort(strongest);
    List<Tag> tags = new ArrayList<>(characters);
    tags.addAll(selection.maxTags() > 0 && general.size() > selection.maxTags()
        ? general.subList(0, selection.maxTags()) : general);
    if (rating != null) {
      tags.add(rating);
    }
    return tags;
  }

  /** A tag as captions write it. */
  static String text(String name, Selection selection) {
    String text = name;
    if (selection.underscores() && !KAOMOJI.contains(name)) {
      text = text.replace('_', ' ');
    }
    if (selection.escape()) {
      text = text.replace("(", "\\(").replace(")", "\\)");
    }
    return text;
  }

  /** A tag's name for comparisons: lower case, underscores as spaces, no escapes, trimmed. */
  public static String normalise(String tag) {
    return tag.replace("\\(", "(").replace("\\)", ")").replace('_', ' ').trim().toLowerCase(Locale.ROOT);
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}
