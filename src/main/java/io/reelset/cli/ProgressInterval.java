package io.reelset.cli;

import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --progress-interval} of the commands that run a pipeline ({@code run}, {@code resume}). */
final class ProgressInterval {
  @Option(names = "--progress-interval", defaultValue = "2s", paramLabel = "DURATION",
      description = "How often status.json and the progress line are updated (default: ${DEFAULT-VALUE}).",
      converter = DurationConverter.class)
  Duration interval;

  /** Parses {@code 500ms}, {@code 2s}, {@code 1m}. */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration parsed = io.reelset.spec.RetrySpec.parseDuration(value);
      if (parsed == null || parsed.isZero()) {
        throw new CommandLine.TypeConversionException(
            "'" + value + "' is not a duration; write e.g. 500ms, 2s or 1m");
      }
      return parsed;
    }
  }
}
