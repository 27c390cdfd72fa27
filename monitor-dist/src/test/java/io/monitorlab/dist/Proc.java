package io.monitorlab.dist;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real child process (a wrapper script, dpkg, ...) whose stdout and stderr lines are collected; waits are
 * bounded and {@link #close()} kills what is left. Thread-safe.
 */
final class Proc implements AutoCloseable {
  private final Process process;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Thread reader;

  private Proc(List<String> argv, Map<String, String> env) {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("ETCD") || k.startsWith("NODE_NAME") || k.startsWith("MONITOR_")
        || k.startsWith("JAVA_") || k.endsWith("JAVA_OPTIONS"));
    pb.environment().putAll(env);
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv, e);
    }
    reader = new Thread(this::read, "proc-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  static Proc start(Map<String, String> env, String... argv) {
    return new Proc(List.of(argv), env);
  }

  /** Runs to the end (at most {@code timeout}) and returns the process; see {@link #exitCode()}, {@link #output()}. */
  static Proc run(Duration timeout, Map<String, String> env, String... argv) {
    Proc p = start(env, argv);
    p.awaitExit(timeout);
    return p;
  }

  static Proc run(Duration timeout, String... argv) {
    return run(timeout, Map.of(), argv);
  }

  /** Runs and fails with the output unless it exits 0. */
  static String ok(Duration timeout, String... argv) {
    Proc p = run(timeout, argv);
    if (p.exitCode() != 0) {
      throw new AssertionError(String.join(" ", argv) + " exited " + p.exitCode() + ":\n" + p.output());
    }
    return p.output();
  }

  static String which(String tool, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Path.of(dir, tool).toFile().canExecute()) {
        return Path.of(dir, tool).toString();
      }
    }
    throw new AssertionError("no " + tool + " on PATH: install it with `apt-get install -y " + debianPackage + "`");
  }

  private void read() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("(output lost: " + e + ")");
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() {
    return String.join("\n", lines);
  }

  /** Waits until a line contains {@code text}, at most {@code timeout}. */
  void awaitLine(String text, Duration timeout) {
    await().atMost(timeout).pollInterval(Duration.ofMillis(20))
        .alias("a line with '" + text + "' in:\n" + output())
        .until(() -> lines.stream().anyMatch(l -> l.contains(text)));
  }

  void awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        close();
        throw new AssertionError("still running after " + timeout + ":\n" + output());
      }
      reader.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  int exitCode() {
    return process.exitValue();
  }

  void terminate() {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
