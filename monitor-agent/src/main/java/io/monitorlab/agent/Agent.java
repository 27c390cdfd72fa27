package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent process: the heartbeat and/or the config watcher with its work loop, each on its own
 * thread, sharing one etcd client. {@link #start()} fails when called twice; {@link #close()} is
 * idempotent, announces a graceful departure and releases everything within 2 s. Thread-safe.
 */
final class Agent implements AutoCloseable {
  enum Parts { BOTH, HEARTBEAT, CONFIG }

  private enum State { LATENT, STARTED, CLOSED }

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** One deadline for the whole stop: the sum of its steps, not each step, must keep the 2 s promise. */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);
  private static final Duration JOIN_AT_MOST = Duration.ofMillis(400);
  /** Kept back for closing the client after the departure. */
  private static final Duration CLIENT_CLOSE = Duration.ofMillis(300);

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final AgentSettings settings;
  private final Parts parts;
  private final AgentPrinter printer;
  private final Consumer<Throwable> onCrash;
  private final List<Thread> threads = new ArrayList<>();
  private Client client;
  private HeartbeatLoop heartbeat;
  private ConfigWatcher watcher;
  private WorkLoop work;
  private Publisher publisher;

  Agent(AgentSettings settings, Parts parts, AgentPrinter printer, Consumer<Throwable> onCrash) {
    this.settings = settings;
    this.parts = parts;
    this.printer = printer;
    this.onCrash = onCrash;
  }

  synchronized void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("agent already started or closed");
    }
    EtcdEndpoints endpoints = settings.endpoints();
    client = EtcdClients.connect(endpoints);
    String node = settings.heartbeat().node();
    log.info("agent starting node={} endpoints={} source={} parts={}", node, endpoints, endpoints.source(), parts);
    if (parts != Parts.CONFIG) {
      heartbeat = new HeartbeatLoop(client, endpoints, settings.heartbeat(), printer, Clock.systemUTC());
      spawn("heartbeat", heartbeat);
      // Metrics and status are bound to the heartbeat's lease: without a heartbeat part there is none to bind them to.
      publisher = new Publisher(client, node, heartbeat::leaseId);
      spawn("publish", publisher);
    }
    if (parts != Parts.HEARTBEAT) {
      String key = Keys.config(node);
      printer.watcherStarting(node, key);
      ConfigState config = new ConfigState(NodeConfig.DEFAULT);
      StatusTracker status = new StatusTracker(settings.heartbeat().mode(), Clock.systemUTC(),
          publisher == null ? s -> { } : publisher::offerStatus);
      watcher = new ConfigWatcher(client, endpoints, key, new ConfigApplier(key, config, printer, status));
      work = new WorkLoop(config, printer, new MetricsCollector(settings.roots(), Clock.systemUTC()),
          publisher == null ? m -> { } : publisher::offerMetrics);
      spawn("config-watch", watcher);
      spawn("work", work);
    }
  }

  private void spawn(String name, Runnable loop) {
    Thread t = new Thread(loop, name);
    t.setUncaughtExceptionHandler((thread, e) -> onCrash.accept(e));
    threads.add(t);
    t.start();
  }

  @Override
  public synchronized void close() {
    State before = state.getAndSet(State.CLOSED);
    if (before != State.STARTED) {
      return;
    }
    long deadline = System.nanoTime() + CLOSE_WITHIN.toNanos();
    if (heartbeat != null) {
      heartbeat.stop();
    }
    if (watcher != null) {
      watcher.stop();
    }
    if (work != null) {
      work.stop();
    }
    if (publisher != null) {
      publisher.stop();
    }
    for (Thread t : threads) {
      if (t != Thread.currentThread()) {
        t.interrupt();
      }
    }
    joinAll(System.nanoTime() + JOIN_AT_MOST.toNanos());
    if (heartbeat != null) {
      heartbeat.leave(deadline - CLIENT_CLOSE.toNanos());
    }
    client.close();
    log.info("agent stopped node={}", settings.heartbeat().node());
  }

  private void joinAll(long deadline) {
    for (Thread t : threads) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (t == Thread.currentThread() || left <= 0) {
        continue;
      }
      try {
        t.join(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        log.warn("thread did not stop in time thread={}", t.getName());
      }
    }
  }
}
