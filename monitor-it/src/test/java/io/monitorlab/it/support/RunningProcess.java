package io.monitorlab.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real child process whose stdout and stderr lines are captured, each with the {@link System#nanoTime()}
 * at which it arrived, by two reader threads. Waiting for lines, signals and the exit are bounded;
 * {@link #close()} is idempotent and kills whatever is left (also a stopped process).
 * This class is thread-safe.
 */
public final class RunningProcess implements AutoCloseable {
  private static final Duration POLL = Duration.ofMillis(10);
  private static final Duration READER_JOIN = Duration.ofSeconds(2);

  private final String name;
  private final Command command;
  private final Process process;
  private final long startedNanos;
  private final List<Line> out = new CopyOnWriteArrayList<>();
  private final List<Line> err = new CopyOnWriteArrayList<>();
  private final Thread outReader;
  private final Thread errReader;
  private volatile long exitedNanos;

  private RunningProcess(String name, Command command) throws IOException {
    this.name = name;
    this.command = command;
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().clear();
    pb.environment().putAll(command.effectiveEnv(System.getenv()));
    this.startedNanos = System.nanoTime();
    this.process = pb.start();
    process.getOutputStream().close();
    process.onExit().thenRun(() -> exitedNanos = System.nanoTime());
    this.outReader = LineReader.start(process.getInputStream(), Line.Stream.STDOUT, out, name + "-stdout");
    this.errReader = LineReader.start(process.getErrorStream(), Line.Stream.STDERR, err, name + "-stderr");
  }

  /** Starts {@code command}; {@code name} labels its output in failure messages. */
  public static RunningProcess start(String name, Command command) {
    try {
      return new RunningProcess(name, command);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command, e);
    }
  }

  /** Runs {@code command} to its end (bounded); the result keeps the exit code and every line. */
  public static RunningProcess run(String name, Command command, Duration timeout) {
    RunningProcess p = start(name, command);
    try {
      p.awaitExit(timeout);
      return p;
    } catch (RuntimeException | AssertionError e) {
      p.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** When the process was started (System.nanoTime()). */
  public long startedNanos() {
    return startedNanos;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<Line> stdout() {
    return List.copyOf(out);
  }

  public List<Line> stderr() {
    return List.copyOf(err);
  }

  public List<String> stdoutText() {
    return out.stream().map(Line::text).toList();
  }

  public List<String> stderrText() {
    return err.stream().map(Line::text).toList();
  }

  /** Every stdout line matching {@code m}, in order. */
  public List<Line> stdoutMatching(Match m) {
    return out.stream().filter(l -> m.matches(l.text())).toList();
  }

  /** The first stdout line matching {@code m}, waiting at most {@code timeout}. */
  public Line awaitLine(Match m, Duration timeout) {
    return awaitLine(Line.Stream.STDOUT, 0, m, timeout);
  }

  /** The first stdout line satisfying {@code p}, waiting at most {@code timeout}. */
  public Line awaitLine(java.util.function.Predicate<String> p, Duration timeout) {
    return awaitLine(new Match("satisfying the predicate", p), timeout);
  }

  /** The first stderr line matching {@code m}, waiting at most {@code timeout}. */
  public Line awaitStderrLine(Match m, Duration timeout) {
    return awaitLine(Line.Stream.STDERR, 0, m, timeout);
  }

  /** The first line after {@code previous} (in the same stream) matching {@code m}. */
  public Line awaitLineAfter(Line previous, Match m, Duration timeout) {
    return awaitLine(previous.stream(), previous.index() + 1, m, timeout);
  }

  /** The first stdout line that arrived at or after {@code sinceNanos} and matches {@code m}. */
  public Line awaitLineSince(long sinceNanos, Match m, Duration timeout) {
    return awaitFound("stdout line " + m + " since t0", timeout,
        () -> out.stream().filter(l -> l.nanos() - sinceNanos >= 0 && m.matches(l.text())).findFirst());
  }

  /** The first line of {@code stream} at index {@code from} or later matching {@code m}. */
  public Line awaitLine(Line.Stream stream, int from, Match m, Duration timeout) {
    List<Line> lines = stream == Line.Stream.STDOUT ? out : err;
    return awaitFound(stream.name().toLowerCase() + " line " + m, timeout,
        () -> lines.stream().skip(from).filter(l -> m.matches(l.text())).findFirst());
  }

  private Line awaitFound(String what, Duration timeout, Supplier<Optional<Line>> finder) {
    try {
      Awaitility.await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(POLL)
          .until(() -> finder.get().isPresent() || drained());
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(name + ": no " + what + " within " + Timing.seconds(timeout) + "\n" + transcript(), e);
    }
    return finder.get().orElseThrow(() -> new AssertionError(
        name + " exited with code " + process.exitValue() + " without a " + what + "\n" + transcript()));
  }

  /**
   * Sends {@code SIG<sig>} with {@code kill -<sig> <pid>} and returns System.nanoTime() taken just
   * before, so durations measured from it are never shorter than the real ones.
   */
  public long signal(String sig) {
    long before = System.nanoTime();
    Signals.send(sig, process.pid(), name);
    return before;
  }

  /** Waits at most {@code timeout} for the exit and for the output to be read; returns the exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(name + " still running after " + Timing.seconds(timeout) + "\n" + transcript());
      }
      outReader.join(READER_JOIN.toMillis());
      errReader.join(READER_JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + name, e);
    }
    return process.exitValue();
  }

  public int exitCode() {
    return process.exitValue();
  }

  /** When the exit was noticed (System.nanoTime()); call after {@link #awaitExit}. */
  public long exitedNanos() {
    Awaitility.await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(5)).until(() -> exitedNanos != 0);
    return exitedNanos;
  }

  /** Everything the process printed, with arrival times relative to its start, for failure messages. */
  public String transcript() {
    StringBuilder b = new StringBuilder("----- ").append(name).append(" (pid ").append(process.pid())
        .append(process.isAlive() ? ", running" : ", exit " + process.exitValue()).append("): ")
        .append(command).append('\n');
    LineReader.append(b, "stdout", out, startedNanos);
    LineReader.append(b, "stderr", err, startedNanos);
    return b.append("----- end of ").append(name).toString();
  }

  private boolean drained() {
    return !process.isAlive() && !outReader.isAlive() && !errReader.isAlive();
  }

  /** Kills the process if it still runs (resuming it first if it was stopped). Idempotent. */
  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        Signals.send("CONT", process.pid(), name);
      } catch (RuntimeException | AssertionError e) {
        // it may have exited meanwhile; SIGKILL below ends a stopped process too
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
    try {
      process.waitFor(10, TimeUnit.SECONDS);
      outReader.join(READER_JOIN.toMillis());
      errReader.join(READER_JOIN.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
