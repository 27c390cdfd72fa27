package io.monitorlab.it.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where the repository and the JVM argument files are, and the options an argument file holds. */
final class Repo {
  private Repo() {}

  /** Under failsafe monitor.repo is set; under surefire the working directory is the module, so "..". */
  static Path root() {
    for (String candidate : new String[] {System.getProperty("monitor.repo", ".."), ".", ".."}) {
      Path p = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(p.resolve("k8s")) && Files.isDirectory(p.resolve("scripts"))) {
        return p;
      }
    }
    throw new IllegalStateException("repository root with k8s/ and scripts/ not found from " + Path.of("").toAbsolutePath());
  }

  /** {@code monitor-<app>/src/main/jvm/<app>.jvm}, app being agent or server. */
  static Path argfile(String app) {
    return root().resolve("monitor-" + app).resolve("src/main/jvm").resolve(app + ".jvm");
  }

  /** The options of a JDK argument file: its lines less blank ones and comments. */
  static List<String> options(Path argfile) {
    try {
      return Files.readAllLines(argfile).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
