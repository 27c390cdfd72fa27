package io.monitorlab.common.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code openssl} binary in one working directory, so that configuration files can name
 * their files relative to it. A failing command becomes one exception line naming the command and
 * what openssl printed. Stateless, hence thread-safe.
 */
final class Openssl {
  private static final long TIMEOUT_SECONDS = 30;

  private final Path dir;

  Openssl(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code openssl args...} in the working directory and fails unless it exits with 0. */
  void run(String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    String shown = String.join(" ", cmd);
    Process p;
    try {
      p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run `" + shown + "` (is the openssl package installed?): " + e.getMessage(), e);
    }
    String output = readAll(p.getInputStream(), shown);
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("`" + shown + "` did not finish within " + TIMEOUT_SECONDS + "s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running `" + shown + "`", e);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("`" + shown + "` in " + dir + " failed with exit " + p.exitValue() + ": "
          + output.strip().replaceAll("\\s*\\R\\s*", " | "));
    }
  }

  private static String readAll(InputStream in, String shown) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the output of `" + shown + "`: " + e.getMessage(), e);
    }
  }
}
