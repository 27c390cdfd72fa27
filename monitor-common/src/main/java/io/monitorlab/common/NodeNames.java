package io.monitorlab.common;

import java.util.regex.Pattern;

/**
 * The rule for node names ({@code [A-Za-z0-9][A-Za-z0-9._-]*}, at most 253 characters) and a safe
 * rendering of names that break it. This class is thread-safe.
 */
public final class NodeNames {
  public static final int MAX_LENGTH = 253;
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private NodeNames() {}

  /** Whether {@code name} may be used as a node name. */
  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && VALID.matcher(name).matches();
  }

  /**
   * Returns {@code name} when it is valid.
   *
   * @throws IllegalArgumentException with a one-line message naming {@code what} and the value
   */
  public static String require(String name, String what) {
    if (isValid(name)) {
      return name;
    }
    throw new IllegalArgumentException(what + ": invalid node name " + describe(name) + ": expected "
        + "1-" + MAX_LENGTH + " characters of [A-Za-z0-9._-], starting with a letter or digit");
  }

  /**
   * Renders any string so that it is safe to print on one line: characters outside
   * {@code [A-Za-z0-9._-]} become {@code \xNN} or {@code \\uNNNN}; an empty name becomes {@code ''}.
   */
  public static String escape(String name) {
    if (name.isEmpty()) {
      return "''";
    }
    if (isValid(name)) {
      return name;
    }
    StringBuilder out = new StringBuilder(name.length() + 8);
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (isNameChar(c)) {
        out.append(c);
      } else {
        OneLine.escape(c, out);
      }
    }
    return out.toString();
  }

  private static String describe(String name) {
    if (name == null) {
      return "(none)";
    }
    if (name.isEmpty()) {
      return "\"\" (empty)";
    }
    String shown = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return "\"" + OneLine.of(shown) + "\"" + (name.length() > MAX_LENGTH ? " (" + name.length() + " characters)" : "");
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '.' || c == '_' || c == '-';
  }
}
