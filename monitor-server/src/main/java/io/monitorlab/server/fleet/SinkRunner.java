package io.monitorlab.server.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link FleetSink} on its own named thread, fed through an unbounded queue so that
 * {@link #offer} never blocks the monitor loop; batches queued meanwhile are delivered in order. A
 * batch the sink fails on is logged and dropped; the sink goes on with the next. {@link #close} drains
 * what was offered before it, within the deadline it is given. Thread-safe.
 */
public final class SinkRunner implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SinkRunner.class);
  private static final List<FleetEvent> END = List.of();

  private final FleetSink sink;
  private final LinkedBlockingQueue<List<FleetEvent>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;

  public SinkRunner(FleetSink sink) {
    this.sink = sink;
    this.thread = new Thread(this::run, "sink-" + sink.name());
    thread.setDaemon(true);
  }

  public SinkRunner start() {
    thread.start();
    return this;
  }

  /** Hands a batch to the sink; returns at once. */
  public void offer(List<FleetEvent> events) {
    if (!events.isEmpty()) {
      queue.add(events);
    }
  }

  private void run() {
    List<List<FleetEvent>> batches = new ArrayList<>();
    try {
      while (true) {
        OptionalLong nextTick = nextTick();
        List<FleetEvent> first = nextTick.isPresent()
            ? queue.poll(Math.max(0, nextTick.getAsLong() - System.nanoTime()), TimeUnit.NANOSECONDS) : queue.take();
        if (first != null) {
          batches.add(first);
          queue.drainTo(batches);
          for (List<FleetEvent> batch : batches) {
            if (batch == END) {
              return;
            }
            deliver(batch);
          }
          batches.clear();
        }
        nextTick = nextTick();
        if (nextTick.isPresent() && System.nanoTime() - nextTick.getAsLong() >= 0) {
          tick();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        sink.close();
      } catch (RuntimeException e) {
        log.error("sink close failed sink={} error=\"{}\"", sink.name(), e.getMessage(), e);
      }
    }
  }

  private void deliver(List<FleetEvent> batch) {
    try {
      sink.accept(batch);
    } catch (RuntimeException e) {
      log.error("sink failed on a batch sink={} events={} error=\"{}\"; going on with the next", sink.name(), batch.size(),
          e.getMessage(), e);
    }
  }

  private OptionalLong nextTick() {
    try {
      return sink.nextTick();
    } catch (RuntimeException e) {
      log.error("sink next tick failed sink={} error=\"{}\"", sink.name(), e.getMessage(), e);
      return OptionalLong.empty();
    }
  }

  private void tick() {
    try {
      sink.tick(System.nanoTime());
    } catch (RuntimeException e) {
      log.error("sink tick failed sink={} error=\"{}\"", sink.name(), e.getMessage(), e);
    }
  }

  /** Delivers what was offered, then closes the sink; waits for it until {@code deadline} (System.nanoTime). */
  public void close(long deadline) {
    queue.add(END);
    try {
      thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("sink did not finish in time sink={} pending_batches={}", sink.name(), queue.size());
    }
  }

  @Override
  public void close() {
    close(System.nanoTime() + Duration.ofSeconds(1).toNanos());
  }
}
