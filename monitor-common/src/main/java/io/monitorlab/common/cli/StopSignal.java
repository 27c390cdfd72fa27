package io.monitorlab.common.cli;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns SIGTERM and SIGINT into a request to stop (exit code 0), so a process can shut down in
 * order and exit 0 instead of the JVM's 143. A crash of a worker thread requests exit 1.
 * Thread-safe.
 */
public final class StopSignal {
  private final CompletableFuture<Integer> requested = new CompletableFuture<>();
  private final boolean handleSignals;
  private boolean installed;

  private StopSignal(boolean handleSignals) {
    this.handleSignals = handleSignals;
  }

  /** A signal that only {@link #request} completes (for tests). */
  public static StopSignal manual() {
    return new StopSignal(false);
  }

  /**
   * A signal that SIGTERM or SIGINT also completes, from the first {@link #await} on: one-shot
   * commands that never wait keep the JVM's default handling of Ctrl-C.
   */
  public static StopSignal onTermOrInt() {
    return new StopSignal(true);
  }

  @SuppressWarnings("restriction")
  /** Starts handling SIGTERM and SIGINT (idempotent); call before starting work. */
  public synchronized void install() {
    if (!handleSignals || installed) {
      return;
    }
    installed = true;
    for (String name : new String[] {"TERM", "INT"}) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), sig -> request(0));
      } catch (IllegalArgumentException e) {
        // The signal is reserved here (e.g. -Xrs); the JVM's default handling then applies.
      }
    }
  }

  /** Asks the process to stop with {@code exitCode}; the first request wins. */
  public void request(int exitCode) {
    requested.complete(exitCode);
  }

  /** Waits for a stop request and returns its exit code. */
  public int await() throws InterruptedException {
    install();
    try {
      return requested.get();
    } catch (ExecutionException e) {
      return Cli.FAILURE;
    }
  }

  /** Waits at most {@code d}; the exit code, or -1 when no stop was requested in time. */
  public int await(Duration d) throws InterruptedException {
    install();
    try {
      return requested.get(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      return -1;
    } catch (ExecutionException e) {
      return Cli.FAILURE;
    }
  }

  /**
   * Runs a long-lived service until a stop is requested: starts it, waits, and closes it (also from
   * a shutdown hook if the JVM goes down another way). Returns the exit code of the stop request.
   */
  public int runUntilStopped(String name, Runnable start, AutoCloseable service) throws Exception {
    Thread hook = new Thread(() -> {
      try {
        service.close();
      } catch (Exception e) {
        // the JVM is going down; close() logs what it could not release
      }
    }, name + "-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      install();
      start.run();
      return await();
    } finally {
      service.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down: the hook runs, and close() is idempotent
      }
    }
  }

  public boolean isRequested() {
    return requested.isDone();
  }
}
