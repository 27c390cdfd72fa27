package io.monitorlab.bench;

import io.monitorlab.common.EtcdSecurity;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real child process (an agent or a monitor jar): stdout lines are stamped on arrival into a
 * {@link LineLog} and copied to {@code <name>.out} in the log folder, stderr goes to {@code <name>.err}.
 * {@link #close()} is idempotent and kills what still runs; a JVM shutdown hook kills every child
 * left when the bench itself is stopped. Thread-safe.
 */
final class Child implements AutoCloseable {
  private static final Duration READER_JOIN = Duration.ofSeconds(2);
  private static final Duration REAP = Duration.ofSeconds(10);
  private static final Set<Child> LIVE = ConcurrentHashMap.newKeySet();
  private static final Set<String> SECURITY_VARIABLES = Set.of(EtcdSecurity.CACERT_VARIABLE, EtcdSecurity.CERT_VARIABLE,
      EtcdSecurity.KEY_VARIABLE, EtcdSecurity.USER_VARIABLE, EtcdSecurity.PASSWORD_FILE_VARIABLE);

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(c -> c.process.destroyForcibly()), "bench-children-kill"));
  }

  private final String name;
  private final Process process;
  private final long startedNanos;
  private final LineLog out;
  private final Thread reader;
  private final CompletableFuture<Long> exited;

  private Child(String name, Process process, long startedNanos, LineLog out, Thread reader) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.out = out;
    this.reader = reader;
    this.exited = process.onExit().thenApply(p -> System.nanoTime());
  }

  /** Starts {@code argv}; {@link #startedNanos()} is taken just before the fork. */
  static Child start(String name, List<String> argv, Path logDir, LineLog out) throws IOException {
    return start(name, argv, Map.of(), logDir, out);
  }

  /** Starts {@code argv} with the bench's environment plus {@code env}. */
  static Child start(String name, List<String> argv, Map<String, String> env, Path logDir, LineLog out) throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder pb = new ProcessBuilder(argv);
    // The jars fall back to etcdctl's variables for TLS and credentials: a child gets them from its command line
    // only, so that an ETCDCTL_CACERT in the caller's shell cannot turn TLS on against a plaintext etcd.
    pb.environment().keySet().removeAll(SECURITY_VARIABLES);
    pb.environment().putAll(env);
    pb
        .redirectError(logDir.resolve(name + ".err").toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    long started = System.nanoTime();
    Process p = pb.start();
    OutputStreamWriter file = new OutputStreamWriter(Files.newOutputStream(logDir.resolve(name + ".out")), StandardCharsets.UTF_8);
    Thread reader = LineReader.start(name, p.getInputStream(), out, file, started);
    Child c = new Child(name, p, started, out, reader);
    LIVE.add(c);
    return c;
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  long startedNanos() {
    return startedNanos;
  }

  LineLog out() {
    return out;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Sends SIGTERM; returns System.nanoTime() taken just before, so measured durations are never short. */
  long terminate() {
    long before = System.nanoTime();
    process.destroy();
    return before;
  }

  /** Sends SIGKILL (kill -9); returns System.nanoTime() taken just before. */
  long kill() {
    long before = System.nanoTime();
    process.destroyForcibly();
    return before;
  }

  /**
   * Waits at most {@code timeout} for the exit (and for {@link #exitedNanos()} to be known); the exit
   * code, or empty when it still runs.
   */
  OptionalInt awaitExit(Duration timeout) throws InterruptedException {
    try {
      exited.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return OptionalInt.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot wait for " + name + ": " + e.getCause(), e.getCause());
    }
    reader.join(READER_JOIN.toMillis());
    return OptionalInt.of(process.exitValue());
  }

  /** When the JVM's process reaper noticed the exit (System.nanoTime()), or empty while it runs. */
  OptionalLong exitedNanos() {
    Long t = exited.getNow(null);
    return t == null ? OptionalLong.empty() : OptionalLong.of(t);
  }

  OptionalLong rssKb() {
    return ProcStats.rssKb(process.pid());
  }

  OptionalLong cpuTicks() {
    return ProcStats.cpuTicks(process.pid());
  }

  /** Kills the process if it still runs and waits (bounded) for it and its reader. Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    try {
      process.waitFor(REAP.toMillis(), TimeUnit.MILLISECONDS);
      reader.join(READER_JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(this);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
