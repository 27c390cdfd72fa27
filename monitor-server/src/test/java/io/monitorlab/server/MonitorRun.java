package io.monitorlab.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.cli.StopSignal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The monitor command running on a background thread until {@link #stop()}, with its stdout and
 * stderr captured line by line.
 */
final class MonitorRun implements AutoCloseable {
  static final Duration AWAIT = Duration.ofSeconds(15);

  private final Capture out = new Capture();
  private final Capture err = new Capture();
  private final StopSignal stop = StopSignal.manual();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();

  private MonitorRun() {}

  static MonitorRun start(String... args) {
    return start(Map.of(), args);
  }

  /** Runs the monitor in-process; its HTTP is on a free loopback port unless {@code env} or {@code args} say otherwise. */
  static MonitorRun start(Map<String, String> env, String... args) {
    MonitorRun run = new MonitorRun();
    Map<String, String> withHttp = new java.util.HashMap<>(env);
    withHttp.putIfAbsent("MONITOR_HTTP", "127.0.0.1:0");
    CommandLine cl = MonitorCommand.commandLine(withHttp, run.stop)
        .setOut(run.out.printWriter())
        .setErr(run.err.printWriter());
    Thread thread = new Thread(() -> {
      try {
        run.exit.complete(cl.execute(args));
      } catch (RuntimeException | Error e) {
        run.exit.completeExceptionally(e);
      }
    }, "monitor-under-test");
    thread.setDaemon(true);
    thread.start();
    return run;
  }

  /** The complete stdout lines so far. */
  List<String> lines() {
    return out.lines();
  }

  /** The stdout lines from index {@code from} on. */
  List<String> linesFrom(int from) {
    List<String> all = lines();
    return all.subList(Math.min(from, all.size()), all.size());
  }

  List<String> errLines() {
    return err.lines();
  }

  long count(String line) {
    return lines().stream().filter(line::equals).count();
  }

  /** Waits until stdout holds {@code line}; returns its index. */
  int awaitLine(String line) {
    await().atMost(AWAIT).untilAsserted(() -> assertThat(lines()).contains(line));
    return lines().indexOf(line);
  }

  /** Waits until stdout has at least {@code n} lines. */
  void awaitLines(int n) {
    await().atMost(AWAIT).untilAsserted(() -> assertThat(lines()).hasSizeGreaterThanOrEqualTo(n));
  }

  boolean isRunning() {
    return !exit.isDone();
  }

  /** Asks the monitor to stop, as SIGTERM does, and returns its exit code. */
  int stop() throws Exception {
    stop.request(0);
    return exit.get(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    if (isRunning()) {
      stop();
    }
  }
}
