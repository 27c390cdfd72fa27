package io.monitorlab.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension (register it on an instance field, after the etcd cluster) that starts the
 * processes of one test and, after it, kills every one still running; when the test failed it
 * prints their output with arrival times. Thread-safe.
 */
public final class Processes implements AfterEachCallback {
  private final List<RunningProcess> started = new ArrayList<>();
  private final List<Supplier<String>> diagnostics = new ArrayList<>();

  /** Also prints {@code report} when a test fails (e.g. the state and log tail of etcd). */
  public synchronized Processes reportOnFailure(Supplier<String> report) {
    diagnostics.add(report);
    return this;
  }

  /** Starts {@code command} as a process of this test. */
  public synchronized RunningProcess start(String name, Command command) {
    RunningProcess p = RunningProcess.start(name, command);
    started.add(p);
    return p;
  }

  /** Runs {@code command} to its end (bounded); the result keeps the exit code and every line. */
  public synchronized RunningProcess run(String name, Command command, Duration timeout) {
    RunningProcess p = RunningProcess.run(name, command, timeout);
    started.add(p);
    return p;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    for (RunningProcess p : started) {
      p.close();
    }
    if (context.getExecutionException().isPresent()) {
      for (RunningProcess p : started) {
        System.out.println(p.transcript());
      }
      for (Supplier<String> d : diagnostics) {
        System.out.println(d.get());
      }
    }
    started.clear();
  }
}
