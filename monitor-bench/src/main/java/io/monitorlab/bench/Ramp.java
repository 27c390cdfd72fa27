package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Registers simulated agents at no more than {@code perSecond} grants per second, with at most
 * {@link #IN_FLIGHT} registrations in flight and a bound on the total time. One loop on the
 * caller's thread.
 */
final class Ramp {
  /**
   * Small, so that an etcd that cannot keep up slows the ramp down instead of queueing registrations: a long
   * apply queue delays every lease renewal too (etcd renews only once it applied what it committed).
   */
  static final int IN_FLIGHT = 64;

  /** What the ramp achieved. */
  record Result<T>(List<T> agents, int failures, Duration took) {
    double perSecond() {
      return agents.size() / Math.max(took.toNanos() / 1e9, 1e-9);
    }
  }

  private Ramp() {}

  static <T> Result<T> run(Function<String, CompletableFuture<T>> register, List<String> nodes, int perSecond,
      Duration slack) throws InterruptedException {
    List<T> done = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger failures = new AtomicInteger();
    Semaphore permits = new Semaphore(IN_FLIGHT);
    long start = System.nanoTime();
    long deadline = start + (long) (nodes.size() * 1e9 / perSecond) + slack.toNanos();
    int started = 0;
    for (String node : nodes) {
      long due = start + (long) (started * 1e9 / perSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        TimeUnit.NANOSECONDS.sleep(wait);
      }
      if (!permits.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        break;
      }
      started++;
      register.apply(node).whenComplete((a, e) -> {
        if (e == null) {
          done.add(a);
        } else {
          failures.incrementAndGet();
        }
        permits.release();
      });
    }
    boolean drained = permits.tryAcquire(IN_FLIGHT, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    if (drained) {
      permits.release(IN_FLIGHT);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    int notDone = nodes.size() - done.size() - failures.get();
    synchronized (done) {
      return new Result<>(List.copyOf(done), failures.get() + Math.max(0, notDone), took);
    }
  }
}
