package io.monitorlab.common.cli;

import java.util.Map;

/**
 * One setting of a command: the option's value, else its environment variable's, with the name of the
 * one it came from, so that an error line names what the user actually set. The one place where the
 * environment fallback of an option is decided (the environment is passed in: tests inject theirs).
 * Immutable.
 *
 * @param value the text given, or null when neither the option nor the variable is set
 * @param source the option's name, or the variable's when the value came from it
 */
public record Setting(String value, String source) {

  public static Setting of(String optionValue, String option, Map<String, String> env, String variable) {
    if (optionValue != null) {
      return new Setting(optionValue, option);
    }
    String fromEnv = env.get(variable);
    return fromEnv != null ? new Setting(fromEnv, variable) : new Setting(null, option);
  }

  public boolean isSet() {
    return value != null;
  }

  /** The value, or {@code fallback} when unset. */
  public String orElse(String fallback) {
    return value != null ? value : fallback;
  }

  /** A one-line error about this setting: {@code --ttl: invalid value "x": expected ...}. */
  public IllegalArgumentException invalid(String expected) {
    return new IllegalArgumentException(source + ": invalid value \"" + value + "\": expected " + expected);
  }
}
