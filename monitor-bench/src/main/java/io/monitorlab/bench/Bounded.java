package io.monitorlab.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** Runs an asynchronous call per item with a bound on calls in flight and on the total time. */
final class Bounded {
  private Bounded() {}

  /**
   * Starts {@code call} for each item, at most {@code inFlight} at once, and waits for all of them
   * until {@code timeout} has passed; returns how many completed without an error.
   */
  static <T> int forEach(List<T> items, int inFlight, Duration timeout, Function<T, CompletableFuture<?>> call)
      throws InterruptedException {
    Semaphore permits = new Semaphore(inFlight);
    AtomicInteger ok = new AtomicInteger();
    long deadline = System.nanoTime() + timeout.toNanos();
    for (T item : items) {
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        return ok.get();
      }
      call.apply(item).whenComplete((r, e) -> {
        if (e == null) {
          ok.incrementAndGet();
        }
        permits.release();
      });
    }
    if (permits.tryAcquire(inFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      permits.release(inFlight);
    }
    return ok.get();
  }
}
