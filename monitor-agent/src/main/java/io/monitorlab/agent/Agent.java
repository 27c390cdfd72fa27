package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeConfig;
import io.monitorlab.common.SessionLoop;
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
 * thread, sharing one etcd client; with the config part, a publisher puts the node's metrics and status
 * under the heartbeat's lease (or, without a heartbeat part, under a lease of its own). {@link #start()} fails when called twice; {@link #close()} is
 * idempotent, announces a graceful departure and releases everything within 2 s. Thread-safe.
 */
final class Agent implements AutoCloseable {
  enum Parts { BOTH, HEARTBEAT, CONFIG }

  private enum State { LATENT, STARTED, CLOSED }

  private static final Logger log = LoggerFactory.getLogger(Agent.class);
  /** One deadline for the whole stop: the sum of its steps, not each step, must keep the 2 s promise. */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);
  /** The loops' share of the deadline: they stop at once when asked, unless stuck in a call to a frozen etcd. */
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
  private PublishLease ownLease;

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
    log.info("agent starting node={} endpoints={} source={} as=\"{}\" parts={}", node, endpoints.urls(), endpoints.source(),
        endpoints.security().identity(), parts);
    if (parts != Parts.HEARTBEAT) {
      // Metrics and status follow the heartbeat's lease; without a heartbeat part they get a lease of their own.
      publisher = new Publisher(client, node);
      spawn("publish", publisher);
    }
    if (parts != Parts.CONFIG) {
      heartbeat = new HeartbeatLoop(client, endpoints, settings.heartbeat(), printer, Clock.systemUTC(),
          publisher == null ? id -> { } : publisher::leaseChanged);
      spawn("heartbeat", heartbeat);
    } else {
      ownLease = new PublishLease(client, endpoints, node, settings.heartbeat().ttl(), publisher::leaseChanged);
      spawn("publish-lease", ownLease);
    }
    if (parts != Parts.HEARTBEAT) {
      String key = Keys.config(node);
      printer.watcherStarting(node, key);
      ConfigState config = new ConfigState(NodeConfig.DEFAULT);
      StatusTracker status = new StatusTracker(settings.heartbeat().mode(), settings.heartbeat().ttl(), Clock.systemUTC(),
          publisher::offerStatus);
      watcher = new ConfigWatcher(client, endpoints, key, new ConfigApplier(key, config, printer, status));
      work = new WorkLoop(config, printer, new MetricsCollector(settings.roots(), Clock.systemUTC()),
          publisher::offerMetrics);
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
    Deadline deadline = Deadline.after(CLOSE_WITHIN);
    for (SessionLoop loop : new SessionLoop[] {heartbeat, watcher, ownLease}) {
      if (loop != null) {
        loop.stop();
      }
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
    // The loops get the first JOIN_AT_MOST of the deadline, the departure what is left but the client's share.
    joinAll(deadline.minus(CLOSE_WITHIN.minus(JOIN_AT_MOST)));
    Deadline departure = deadline.minus(CLIENT_CLOSE);
    if (heartbeat != null) {
      heartbeat.leave(departure);
    }
    if (ownLease != null) {
      ownLease.revoke(departure);
    }
    closeClient(deadline);
    log.info("agent stopped node={}", settings.heartbeat().node());
  }

  /** jetcd's close shuts its channels down without waiting for them; bounded anyway, so no library change can break the promise. */
  private void closeClient(Deadline deadline) {
    Thread closer = new Thread(client::close, "etcd-client-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closer.join(Math.max(1, deadline.remaining().toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (closer.isAlive()) {
      log.warn("etcd client did not close in time node={}; leaving it to the process exit", settings.heartbeat().node());
    }
  }

  private void joinAll(Deadline deadline) {
    for (Thread t : threads) {
      long left = deadline.remaining().toMillis();
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
