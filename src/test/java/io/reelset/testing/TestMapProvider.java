package io.reelset.testing;

import io.reelset.kit.Retry;
import io.reelset.compile.StageContext;
import io.reelset.compile.StageInputs;
import io.reelset.compile.StageProvider;
import io.reelset.compile.StageResult;
import io.reelset.spec.Setting;
import io.reelset.values.Failure;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Locale;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;

/**
 * Test stage {@code test_map}: adds a suffix (or prefix) to every item; items listed in
 * {@code fail_on} fail with an exception as their cause. Its schema uses every field type.
 */
public final class TestMapProvider implements StageProvider<TestMapProvider.Config> {
  static final TupleTag<String> OUT = new TupleTag<>() {};
  static final TupleTag<Failure> FAILED = new TupleTag<>() {};

  @Override
  public String type() {
    return "test_map";
  }

  @Override
  public String description() {
    return "adds a suffix to every item (tests only)";
  }

  /** The config of {@code test_map}; it uses every kind of field. */
  public record Config(
      @Setting(value = "text added to each item", required = true) String suffix,
      @Setting("items that fail") List<String> failOn,
      @Setting("items that crash the pipeline (an uncaught error)") List<String> crashOn,
      @Setting(value = "how often the text is added", defaultValue = "1", min = 1, max = 10) int times,
      @Setting(value = "each item's first attempts fail with an I/O error", defaultValue = "0", min = 0, max = 100)
          int transientFailures,
      @Setting(value = "upper-case the result", defaultValue = "false") boolean upper,
      @Setting(value = "unused weight", defaultValue = "0.5", min = 0, max = 1) double weight,
      @Setting(value = "where the text goes", defaultValue = "append") Mode mode,
      @Setting("formatting options") Options options) {}

  /** Where {@code test_map} puts its text. */
  public enum Mode { APPEND, PREPEND }

  /** {@code options}: a nested mapping. */
  public record Options(@Setting(value = "separator between item and text", defaultValue = "") String sep) {}

  @Override
  public Class<Config> configType() {
    return Config.class;
  }

  @Override
  public List<String> inputKinds() {
    return List.of("Text");
  }

  @Override
  public String outputKind() {
    return "Text";
  }

  @Override
  public StageResult expand(StageInputs inputs, StageContext context, Config config) {
    String text = config.suffix().repeat(config.times());
    PCollectionTuple result = inputs.merged(String.class)
        .apply("Map", ParDo.of(new MapFn(context.stageId(), text,
                config.options().sep(), config.mode() == Mode.PREPEND, config.upper(), config.failOn(),
                config.crashOn(), config.transientFailures(), context.runDir(), context.retryPolicy()))
            .withOutputTags(OUT, TupleTagList.of(FAILED)));
    return new StageResult(result.get(OUT).setCoder(StringUtf8Coder.of()), result.get(FAILED));
  }

  static final class MapFn extends DoFn<String, String> {
    private static final long serialVersionUID = 1L;
    /** Attempts per run, stage and item, in this JVM (tests run the DirectRunner in-process). */
    private static final Map<String, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
    private final String stageId;
    private final String text;
    private final String separator;
    private final boolean prepend;
    private final boolean upper;
    private final List<String> failOn;
    private final List<String> crashOn;
    private final int transientFailures;
    private final String runDir;
    private final Retry retry;

    MapFn(String stageId, String text, String separator, boolean prepend, boolean upper,
        List<String> failOn, List<String> crashOn, int transientFailures, String runDir, Retry retry) {
      this.transientFailures = transientFailures;
      this.runDir = runDir;
      this.retry = retry;
      this.stageId = stageId;
      this.text = text;
      this.separator = separator;
      this.prepend = prepend;
      this.upper = upper;
      this.failOn = List.copyOf(failOn);
      this.crashOn = List.copyOf(crashOn);
    }

    @ProcessElement
    public void process(@Element String item, MultiOutputReceiver out) {
      if (crashOn.contains(item)) {
        throw new UnsupportedOperationException("crashing on " + item);
      }
      try {
        if (failOn.contains(item)) {
          throw new IllegalStateException("refusing " + item);
        }
        String attemptsKey = runDir + "|" + stageId + "|" + item;
        String mapped = retry.call(() -> {
          if (ATTEMPTS.computeIfAbsent(attemptsKey, k -> new AtomicInteger()).incrementAndGet() <= transientFailures) {
            throw new IOException("transient failure of " + item);
          }
          return prepend ? text + separator + item : item + separator + text;
        });
        out.get(OUT).output(upper ? mapped.toUpperCase(Locale.ROOT) : mapped);
      } catch (Exception e) {
        out.get(FAILED).output(Failure.of(stageId, item, "cannot map item", e));
      }
    }
  }
}
