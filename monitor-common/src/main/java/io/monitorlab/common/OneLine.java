package io.monitorlab.common;

/**
 * The one escaper for text that must stay on one console or log line: C0 and C1 control characters
 * and DEL become {@code \xNN}, the Unicode line and paragraph separators {@code \\uNNNN}; everything
 * else is kept. A foreign value can therefore never start a line of its own. This class is thread-safe.
 */
public final class OneLine {
  private OneLine() {}

  public static String of(String text) {
    if (text == null) {
      return "";
    }
    int i = 0;
    while (i < text.length() && !breaks(text.charAt(i))) {
      i++;
    }
    if (i == text.length()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (breaks(c)) {
        escape(c, out);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Appends {@code c} as {@code \xNN} (up to 0xff) or {@code \\uNNNN}: the one notation of every escaper. */
  public static void escape(char c, StringBuilder out) {
    out.append(String.format(c < 0x100 ? "\\x%02x" : "\\u%04x", (int) c));
  }

  private static boolean breaks(char c) {
    return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == '\u2028' || c == '\u2029';
  }
}
