package io.monitorlab.bench;

import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Turns a validation failure of option values into picocli's bad-input error (one line, exit 2). */
final class Options {
  private Options() {}

  static <T> T check(CommandSpec spec, Supplier<T> settings) {
    try {
      return settings.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
