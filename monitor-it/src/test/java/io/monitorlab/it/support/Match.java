package io.monitorlab.it.support;

import java.util.function.Predicate;
import java.util.regex.Pattern;

/** What an awaited console line must look like, with a description for failure messages. Immutable. */
public record Match(String description, Predicate<String> test) {
  /** The whole line equals {@code text}. */
  public static Match exact(String text) {
    return new Match("exactly \"" + text + "\"", text::equals);
  }

  /** The line starts with {@code text}. */
  public static Match prefix(String text) {
    return new Match("starting with \"" + text + "\"", s -> s.startsWith(text));
  }

  /** The line contains {@code text}. */
  public static Match containing(String text) {
    return new Match("containing \"" + text + "\"", s -> s.contains(text));
  }

  /** The whole line matches {@code regex}. */
  public static Match regex(String regex) {
    Pattern p = Pattern.compile(regex);
    return new Match("matching /" + regex + "/", s -> p.matcher(s).matches());
  }

  boolean matches(String line) {
    return test.test(line);
  }

  @Override
  public String toString() {
    return description;
  }
}
