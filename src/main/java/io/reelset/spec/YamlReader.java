package io.reelset.spec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a YAML file into a {@link YamlValue} tree with line and column marks.
 *
 * <p>Everything a user can get wrong about the file itself — a missing path, a directory, an empty
 * file, bytes that are not UTF-8, a tab used for indentation, malformed YAML, a key written twice —
 * becomes a {@link SpecProblem}; nothing here throws anything else.
 */
public final class YamlReader {
  private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9]+");
  private static final Pattern FLOAT =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final int MAX_DEPTH = 64;
  /** The largest file read: pipelines and identities.yaml are a few KiB; this bounds the scanner's time. */
  public static final int MAX_BYTES = 1 << 20;
  /** The most values a document may hold once its aliases are expanded (an alias bomb holds billions). */
  public static final int MAX_VALUES = 100_000;

  private YamlReader() {}

  /** Reads a pipeline file {@code path}, naming it {@code displayName} in every message. */
  public static YamlValue read(Path path, String displayName) throws SpecException {
    return parse(readText(path, displayName, "a pipeline YAML file"), displayName);
  }

  /**
   * Reads a YAML data file (such as {@code identities.yaml}) for which an empty file is an empty
   * document: a null scalar.
   */
  public static YamlValue readData(Path path, String displayName) throws SpecException {
    return parse(readText(path, displayName, "a YAML file"), displayName, true);
  }

  private static String readText(Path path, String displayName, String what) throws SpecException {
    Mark whole = Mark.ofFile(displayName);
    if (!Files.exists(path)) {
      throw new SpecException(SpecProblem.at(whole, "no such file"));
    }
    if (Files.isDirectory(path)) {
      throw new SpecException(SpecProblem.at(whole, "is a directory; give the path of " + what));
    }
    if (!Files.isRegularFile(path)) {
      throw new SpecException(SpecProblem.at(whole, "is not a regular file (a pipe or a device); give the path of "
          + what));
    }
    byte[] bytes;
    try {
      long size = Files.size(path);
      if (size > MAX_BYTES) {
        throw new SpecException(SpecProblem.at(whole, tooLarge(size)));
      }
      bytes = Files.readAllBytes(path);
    } catch (AccessDeniedException e) {
      throw new SpecException(SpecProblem.at(whole, "cannot be read: permission denied"));
    } catch (NoSuchFileException e) {
      throw new SpecException(SpecProblem.at(whole, "no such file"));
    } catch (IOException e) {
      throw new SpecException(SpecProblem.at(whole, "cannot be read: " + e.getMessage()));
    }
    return decodeUtf8(bytes, displayName);
  }

  private static String tooLarge(long bytes) {
    return String.format(java.util.Locale.ROOT, "is %.1f MiB; a YAML file read here may be at most %d KiB",
        bytes / 1048576.0, MAX_BYTES / 1024);
  }

  /** Parses YAML text that came from {@code displayName}. */
  public static YamlValue parse(String text, String displayName) throws SpecException {
    return parse(text, displayName, false);
  }

  /** As {@link #parse(String, String)}; with {@code emptyIsNull}, an empty document is a null scalar. */
  private static YamlValue parse(String text, String displayName, boolean emptyIsNull) throws SpecException {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    if (text.length() > MAX_BYTES) {
      throw new SpecException(SpecProblem.at(Mark.ofFile(displayName), tooLarge(text.length())));
    }
    boolean shield = text.indexOf(OPEN) < 0 && text.indexOf(CLOSE) < 0;
    Node root;
    try {
      LoaderOptions options = new LoaderOptions();
      options.setMaxAliasesForCollections(50);
      root = new Yaml(options).compose(new java.io.StringReader(shield ? shieldTemplates(text) : text));
    } catch (MarkedYAMLException e) {
      throw new SpecException(malformed(e, displayName));
    } catch (YAMLException e) {
      throw new SpecException(
          SpecProblem.at(Mark.ofFile(displayName), "malformed YAML: " + e.getMessage()));
    }
    if (root == null && emptyIsNull) {
      return new YamlValue.Scalar(new Mark(displayName, 1, 1), null, false);
    }
    if (root == null) {
      throw new SpecException(
          SpecProblem.at(
              new Mark(displayName, 1, 1),
              "the file is empty; a pipeline needs at least 'name' and 'stages'"));
    }
    List<SpecProblem> problems = new ArrayList<>();
    YamlValue value = convert(root, displayName, problems, 0, new int[] {0});
    if (!problems.isEmpty()) {
      throw new SpecException(problems);
    }
    return value;
  }

  /** Stand-ins for the braces of {@code ${...}}: private-use characters, one for one, so columns hold. */
  private static final char OPEN = '\uE000';
  private static final char CLOSE = '\uE001';
  private static final Pattern TEMPLATE = Pattern.compile("\\$\\{([^{}\\n]*)}");

  /**
   * Hides the braces of every {@code ${...}} from the YAML scanner, so a template may stand
   * wherever a scalar can, flow mappings and sequences included ({@code {fps: ${params.fps}}});
   * {@link #unshield} puts them back in each scalar.
   */
  static String shieldTemplates(String text) {
    Matcher m = TEMPLATE.matcher(text);
    StringBuilder out = new StringBuilder(text.length());
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement("$" + OPEN + m.group(1) + CLOSE));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String unshield(String value) {
    return value.indexOf(OPEN) < 0 && value.indexOf(CLOSE) < 0 ? value : value.replace(OPEN, '{').replace(CLOSE, '}');
  }

  private static SpecProblem malformed(MarkedYAMLException e, String file) {
    org.yaml.snakeyaml.error.Mark at =
        e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    Mark mark =
        at == null ? Mark.ofFile(file) : new Mark(file, at.getLine() + 1, at.getColumn() + 1);
    String problem = e.getProblem() == null ? "" : unshield(e.getProblem());
    if (problem.contains("\\t") || problem.contains("\t") || problem.contains("TAB")) {
      return SpecProblem.at(mark, "a tab character; YAML must be indented with spaces, not tabs");
    }
    if (problem.contains("expected a single document")
        || (e.getContext() != null && e.getContext().contains("expected a single document"))) {
      return SpecProblem.at(
          mark, "more than one YAML document ('---'); a pipeline file holds exactly one");
    }
    String context = e.getContext() == null ? "" : " (" + e.getContext().trim() + ")";
    return SpecProblem.at(mark, "malformed YAML: " + problem.trim() + context);
  }

  static String decodeUtf8(byte[] bytes, String file) throws SpecException {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      out.flip();
      int line = 1;
      int column = 1;
      while (out.hasRemaining()) {
        if (out.get() == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      String bad = String.format("0x%02X", bytes[in.position()] & 0xff);
      throw new SpecException(
          SpecProblem.at(
              new Mark(file, line, column),
              "not valid UTF-8 (byte " + bad + "); save the file as UTF-8"));
    }
    decoder.flush(out);
    out.flip();
    return out.toString();
  }

  private static Mark markOf(Node node, String file) {
    org.yaml.snakeyaml.error.Mark start = node.getStartMark();
    return start == null
        ? Mark.ofFile(file)
        : new Mark(file, start.getLine() + 1, start.getColumn() + 1);
  }

  private static YamlValue convert(Node node, String file, List<SpecProblem> problems, int depth, int[] values) {
    Mark mark = markOf(node, file);
    if (++values[0] > MAX_VALUES) {
      if (values[0] == MAX_VALUES + 1) {
        problems.add(SpecProblem.at(mark, "the document holds more than " + MAX_VALUES + " values once its aliases"
            + " (*name) are expanded; write the values out, or use fewer aliases"));
      }
      return new YamlValue.Scalar(mark, null, false);
    }
    if (depth > MAX_DEPTH) {
      problems.add(SpecProblem.at(mark, "nested more than " + MAX_DEPTH + " levels deep"));
      return new YamlValue.Scalar(mark, null, false);
    }
    if (node instanceof ScalarNode scalar) {
      boolean plain = scalar.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
      boolean forcedString = Tag.STR.equals(scalar.getTag());
      String text = unshield(scalar.getValue());
      Object value = plain && !forcedString ? resolvePlain(text) : text;
      return new YamlValue.Scalar(mark, value, !plain || forcedString);
    }
    if (node instanceof SequenceNode sequence) {
      List<YamlValue> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(convert(item, file, problems, depth + 1, values));
      }
      return new YamlValue.Sequence(mark, items);
    }
    MappingNode mapping = (MappingNode) node;
    Map<String, YamlValue> entries = new LinkedHashMap<>();
    Map<String, Mark> keyMarks = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      Mark keyMark = markOf(keyNode, file);
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problems.add(SpecProblem.at(keyMark, "a key must be a plain name, not a list or mapping"));
        continue;
      }
      String key = unshield(keyScalar.getValue());
      if (entries.containsKey(key)) {
        Mark first = keyMarks.get(key);
        problems.add(
            SpecProblem.at(
                keyMark,
                "duplicate key '"
                    + key
                    + "' (first at line "
                    + first.line()
                    + ", column "
                    + first.column()
                    + ")"));
        continue;
      }
      keyMarks.put(key, keyMark);
      entries.put(key, convert(tuple.getValueNode(), file, problems, depth + 1, values));
    }
    return new YamlValue.Mapping(mark, entries, keyMarks);
  }

  /** Resolves a plain scalar by the YAML 1.2 core schema. */
  static Object resolvePlain(String text) {
    switch (text) {
      case "", "~", "null", "Null", "NULL":
        return null;
      case "true", "True", "TRUE":
        return Boolean.TRUE;
      case "false", "False", "FALSE":
        return Boolean.FALSE;
      case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
        return Double.POSITIVE_INFINITY;
      case "-.inf", "-.Inf", "-.INF":
        return Double.NEGATIVE_INFINITY;
      case ".nan", ".NaN", ".NAN":
        return Double.NaN;
      default:
        break;
    }
    if (INTEGER.matcher(text).matches()) {
      try {
        return Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
      } catch (NumberFormatException tooLarge) {
        return Double.parseDouble(text);
      }
    }
    if (FLOAT.matcher(text).matches()) {
      return Double.parseDouble(text);
    }
    return text;
  }
}
