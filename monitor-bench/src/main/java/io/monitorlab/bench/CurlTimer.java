package io.monitorlab.bench;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Times one GET with curl, a client in a process of its own: the bench's java.net.http client shares its JVM,
 * heap and collections with the 10,000 simulated agents, so its figures hold the bench's own pauses too. The
 * time is curl's {@code time_total} (connect -> last byte read), so curl's own start is not counted.
 * Immutable.
 */
final class CurlTimer {
  private final String curl;

  private CurlTimer(String curl) {
    this.curl = curl;
  }

  /** The curl on PATH, if any. */
  static Optional<CurlTimer> find() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      File f = new File(dir, "curl");
      if (f.canExecute()) {
        return Optional.of(new CurlTimer(f.getPath()));
      }
    }
    return Optional.empty();
  }

  /** A 200 answer's time and size. */
  record Answer(double ms, long bytes) {}

  /** GETs {@code uri}, reading the body to the end; empty when it failed or did not answer 200. */
  Optional<Answer> get(URI uri, long timeoutSeconds) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(curl, "-s", "-o", "/dev/null", "--max-time", Long.toString(timeoutSeconds),
          "-w", "%{http_code} %{time_total} %{size_download}", uri.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      if (!p.waitFor(timeoutSeconds + 5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.empty();
      }
      String[] f = out.split(" ");
      if (p.exitValue() != 0 || f.length != 3 || !f[0].equals("200")) {
        return Optional.empty();
      }
      return Optional.of(new Answer(Double.parseDouble(f[1]) * 1000, Long.parseLong(f[2])));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
