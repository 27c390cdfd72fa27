package io.monitorlab.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses {@code 500ms}, {@code 90s}, {@code 10m}, {@code 1h}, {@code 2m30s} or ISO-8601 {@code PT2M}. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String text) {
    String s = text.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("pt")) {
      try {
        return Duration.parse(s.toUpperCase(Locale.ROOT));
      } catch (java.time.format.DateTimeParseException e) {
        throw bad(text);
      }
    }
    Matcher m = PART.matcher(s);
    Duration total = Duration.ZERO;
    int at = 0;
    while (m.find() && m.start() == at) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      at = m.end();
    }
    if (at == 0 || at != s.length()) {
      throw bad(text);
    }
    return total;
  }

  private static CommandLine.TypeConversionException bad(String text) {
    return new CommandLine.TypeConversionException("invalid duration \"" + text + "\": expected e.g. 500ms, 90s, 10m, 1h, 2m30s");
  }

  /** {@code 2m30s}, {@code 90s}, {@code 500ms}. */
  static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s >= 60 && s % 60 == 0) {
      return s / 60 + "m";
    }
    return s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s";
  }
}
