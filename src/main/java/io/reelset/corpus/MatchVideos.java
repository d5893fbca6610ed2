package io.reelset.corpus;

import io.reelset.kit.StageMetrics;
import io.reelset.media.VideoKeys;
import io.reelset.values.Failure;
import io.reelset.values.FailureCoder;
import io.reelset.values.RecordCoder;
import io.reelset.values.VideoFile;
import io.reelset.values.VideoFileCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Lists the videos of a corpus input — a glob, a directory or a list file — through Beam's
 * {@link FileSystems}, and gives each a stable key ({@link VideoKeys}).
 *
 * <p>A directory is searched recursively for the given extensions; a list file ({@code .txt},
 * {@code .list}, {@code .lst}) names one path or URI per line, relative to the list file. An input
 * that matches nothing, a listed file that is missing and a file that cannot be read each become a
 * {@link Failure}; the other videos are still listed. Fingerprinting runs in parallel.
 *
 * {@code
 * PCollectionTuple found = p.apply(MatchVideos.from("media/*.mkv", "frames"));
 * PCollection<VideoFile> videos = found.get(MatchVideos.VIDEOS);
 * }
 */
public final class MatchVideos extends PTransform<PBegin, PCollectionTuple> {
  private static final long serialVersionUID = 1L;
  public static final TupleTag<VideoFile> VIDEOS = new TupleTag<>() {};
  public static final TupleTag<Failure> FAILURES = new TupleTag<>() {};
  static final TupleTag<Candidate> CANDIDATES = new TupleTag<>() {};

  private final String input;
  private final String stageId;
  private final List<String> extensions;
  private final int fingerprintBytes;

  private MatchVideos(String input, String stageId, List<String> extensions, int fingerprintBytes) {
    this.input = input;
    this.stageId = stageId;
    this.extensions = List.copyOf(extensions);
    this.fingerprintBytes = fingerprintBytes;
  }

  /** Adds the {@code input} and {@code extensions} fields every stage that reads a corpus has. */
  /** What {@code input} may be, for the configs of the stages that read a corpus. */
  public static final String INPUT_DOC =
      "a glob, a directory (searched recursively) or a list file (.txt, one path or URI per line)";
  /** What {@code extensions} means. */
  public static final String EXTENSIONS_DOC = "file name endings taken as videos in a directory";

  /** Lists {@code input}; failures carry {@code stageId}. */
  public static MatchVideos from(String input, String stageId) {
    if (input == null || input.isBlank()) {
      throw new IllegalArgumentException("MatchVideos.from(input): input must not be empty");
    }
    return new MatchVideos(input, stageId, VideoKeys.DEFAULT_EXTENSIONS, 64 * 1024);
  }

  /** The file name endings a directory input takes as videos; default {@link VideoKeys#DEFAULT_EXTENSIONS}. */
  public MatchVideos withExtensions(List<String> newExtensions) {
    if (newExtensions.isEmpty()) {
      throw new IllegalArgumentException("withExtensions: give at least one extension, e.g. mkv");
    }
    return new MatchVideos(input, stageId, newExtensions, fingerprintBytes);
  }

  /** How many leading bytes go into the key's fingerprint; default 65536. */
  public MatchVideos withFingerprintBytes(int bytes) {
    if (bytes < 1 || bytes > 16 << 20) {
      throw new IllegalArgumentException("withFingerprintBytes: " + bytes + " is out of range 1 to 16777216");
    }
    return new MatchVideos(input, stageId, extensions, bytes);
  }

  @Override
  public PCollectionTuple expand(PBegin begin) {
    PCollectionTuple expanded = begin
        .apply("Input", Create.of(absolute(input)).withCoder(StringUtf8Coder.of()))
        .apply("Expand", ParDo.of(new ExpandInputFn(stageId, extensions))
            .withOutputTags(CANDIDATES, TupleTagList.of(FAILURES)));
    PCollectionTuple fingerprinted = expanded.get(CANDIDATES)
        .setCoder(RecordCoder.of(Candidate.class))
        .apply("Spread", Reshuffle.viaRandomKey())
        .apply("Fingerprint", ParDo.of(new FingerprintFn(stageId, fingerprintBytes))
            .withOutputTags(VIDEOS, TupleTagList.of(FAILURES)));
    PCollection<Failure> failures = PCollectionList
        .of(expanded.get(FAILURES).setCoder(FailureCoder.of()))
        .and(fingerprinted.get(FAILURES).setCoder(FailureCoder.of()))
        .apply("Failures", Flatten.pCollections());
    return PCollectionTuple.of(VIDEOS, fingerprinted.get(VIDEOS).setCoder(VideoFileCoder.of()))
        .and(FAILURES, failures);
  }

  /** Local paths become absolute, so keys do not depend on the working directory. */
  static String absolute(String input) {
    if (input.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return input;
    }
    return Path.of(input).toAbsolutePath().normalize().toString();
  }

  /** A file to fingerprint and the root its relative path is taken from. */
  record Candidate(String path, String root) implements Serializable {}

  /** A file an input names that is not read, and why. */
  record Skipped(String path, String reason) {}

  /** The files an input names, those it skips, and why it names none when it does not. */
  record Listing(List<Candidate> candidates, List<Skipped> skipped, String problem) {
    Listing(List<Candidate> candidates, String problem) {
      this(candidates, List.of(), problem);
    }
  }

  /** Expands an input (absolute, see {@link #absolute}) into candidate files. */
  static Listing list(String input, List<String> extensions) throws IOException {
    List<Candidate> candidates = new ArrayList<>();
    if (VideoKeys.isGlob(input)) {
      String root = VideoKeys.globRoot(input);
      match(input).forEach(m -> candidates.add(new Candidate(m.resourceId().toString(), root)));
      return new Listing(candidates, candidates.isEmpty() ? "no file matches this glob" : null);
    }
    if (!input.contains("://") && Files.isDirectory(Path.of(input))) {
      return LocalDirectory.list(Path.of(input), extensions);
    }
    if (ExpandInputFn.isDirectory(input)) {
      String root = input.endsWith("/") ? input : input + "/";
      match(root + "**").stream()
          .filter(m -> VideoKeys.hasExtension(m.resourceId().toString(), extensions))
          .forEach(m -> candidates.add(new Candidate(m.resourceId().toString(), root)));
      return new Listing(candidates, candidates.isEmpty() ? "no videos in this directory"
          + " (looked for ." + String.join(", .", extensions) + ")" : null);
    }
    if (match(input).isEmpty()) {
      return new Listing(candidates, "no such file or directory");
    }
    String notRegular = LocalDirectory.notRegular(input);
    if (notRegular != null) {
      return new Listing(candidates, List.of(new Skipped(input, notRegular)), null);
    }
    if (VideoKeys.isListFile(input)) {
      String listDir = input.substring(0, input.lastIndexOf('/') + 1);
      for (String entry : VideoKeys.parseList(ExpandInputFn.read(input), listDir)) {
        String path = absolute(entry);
        candidates.add(new Candidate(path, path.startsWith(listDir) ? listDir
            : path.substring(0, path.lastIndexOf('/') + 1)));
      }
      return new Listing(candidates, null);
    }
    candidates.add(new Candidate(input, input.substring(0, input.lastIndexOf('/') + 1)));
    return new Listing(candidates, null);
  }

  /**
   * What a run will read of an input: how many videos, their bytes, the local ones' paths, and
   * what is wrong with it.
   */
  public record InputCheck(int videos, long bytes, List<String> localPaths, List<String> problems) {}

  /**
   * Lists an input as the stage will and checks that every video exists and can be read, for the
   * preflight of a run. Never throws: a problem is a message naming the path.
   */
  public static InputCheck check(String input, List<String> extensions) {
    String absolute = absolute(input);
    List<String> problems = new ArrayList<>();
    List<String> localPaths = new ArrayList<>();
    long bytes = 0;
    int videos = 0;
    try {
      Listing listing = list(absolute, extensions);
      if (listing.problem() != null) {
        problems.add("input '" + input + "': " + listing.problem());
      }
      for (Candidate candidate : listing.candidates()) {
        List<MatchResult.Metadata> found = match(candidate.path());
        boolean local = !candidate.path().matches("[A-Za-z][A-Za-z0-9+.-]*://.*");
        if (found.isEmpty()) {
          problems.add("input '" + input + "': " + candidate.path() + " does not exist");
        } else if (local && !Files.isReadable(Path.of(candidate.path()))) {
          problems.add("input '" + input + "': " + candidate.path() + " cannot be read (permissions)");
        } else if (local && LocalDirectory.notRegular(candidate.path()) != null) {
          continue; // a pipe is never opened, not even to estimate: the run says so on its failure line
        } else {
          videos++;
          bytes += found.get(0).sizeBytes();
          if (local) {
            localPaths.add(candidate.path());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add("input '" + input + "': cannot list it: " + e.getMessage());
    }
    return new InputCheck(videos, bytes, localPaths, problems);
  }

  /** Expands the input into candidate files. */
  static final class ExpandInputFn extends DoFn<String, Candidate> {
    private static final long serialVersionUID = 1L;
    private final String stageId;
    private final List<String> extensions;

    ExpandInputFn(String stageId, List<String> extensions) {
      this.stageId = stageId;
      this.extensions = extensions;
    }

    @ProcessElement
    public void process(@Element String input, MultiOutputReceiver out) {
      try {
        Listing listing = list(input, extensions);
        if (listing.problem() != null) {
          out.get(FAILURES).output(new Failure(stageId, input, listing.problem(), ""));
        }
        for (Skipped skipped : listing.skipped()) {
          out.get(FAILURES).output(new Failure(stageId, skipped.path(), skipped.reason(), ""));
        }
        listing.candidates().forEach(out.get(CANDIDATES)::output);
      } catch (IOException e) {
        out.get(FAILURES).output(Failure.of(stageId, input, "cannot list the input: " + e.getMessage(), e));
      }
    }

    static boolean isDirectory(String input) {
      return input.endsWith("/") || (!input.contains("://") && Files.isDirectory(Path.of(input)));
    }

    static String read(String path) throws IOException {
      try (InputStream in = Channels.newInputStream(FileSystems.open(FileSystems.matchNewResource(path, false)))) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    }
  }

  static List<MatchResult.Metadata> match(String spec) throws IOException {
    MatchResult result = FileSystems.match(spec, EmptyMatchTreatment.ALLOW);
    return result.status() == MatchResult.Status.OK ? result.metadata() : List.of();
  }

  /** Reads a candidate's size and first bytes and gives it its key. */
  static final class FingerprintFn extends DoFn<Candidate, VideoFile> {
    private static final long serialVersionUID = 1L;
    private final String stageId;
    private final int fingerprintBytes;
    private final Counter bytes;

    FingerprintFn(String stageId, int fingerprintBytes) {
      this.stageId = stageId;
      this.fingerprintBytes = fingerprintBytes;
      this.bytes = Metrics.counter(StageMetrics.namespace(stageId), "bytes");
    }

    @ProcessElement
    public void process(@Element Candidate candidate, MultiOutputReceiver out) {
      try {
        List<MatchResult.Metadata> found = match(candidate.path());
        if (found.isEmpty()) {
          out.get(FAILURES).output(new Failure(stageId, candidate.path(), "no such file", ""));
          return;
        }
        MatchResult.Metadata file = found.get(0);
        String notRegular = LocalDirectory.notRegular(candidate.path());
        if (notRegular != null) {
          out.get(FAILURES).output(new Failure(stageId, candidate.path(), notRegular, ""));
          return;
        }
        byte[] head = new byte[(int) Math.min(fingerprintBytes, file.sizeBytes())];
        int read = 0;
        try (InputStream in = Channels.newInputStream(FileSystems.open(file.resourceId()))) {
          read = in.readNBytes(head, 0, head.length);
        }
        String relative = VideoKeys.relativize(candidate.root(), candidate.path());
        String fingerprint = VideoKeys.fingerprint(file.sizeBytes(), head, read);
        out.get(VIDEOS).output(new VideoFile(VideoKeys.key(relative, file.sizeBytes(), head, read),
            candidate.path(), relative, file.sizeBytes(), fingerprint.substring(0, 16)));
        bytes.inc(file.sizeBytes());
      } catch (IOException | RuntimeException e) {
        out.get(FAILURES).output(Failure.of(stageId, candidate.path(), "cannot read the file: " + e.getMessage(), e));
      }
    }
  }
}
