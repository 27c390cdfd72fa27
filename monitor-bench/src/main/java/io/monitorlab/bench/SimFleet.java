package io.monitorlab.bench;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated agents inside the bench JVM, sharing one jetcd client of their own: each grants a lease, puts the
 * heartbeat value exactly as monitor-agent writes it, and renews like monitor-agent: one keepalive
 * every TTL/2, then (refresh mode) a fresh value. For a few hundred agents (the detect group); a large
 * fleet uses {@link FleetSim}. {@link #drop} stops an agent's renewals at a recorded instant, as if its
 * process died. Periodic work runs on two timer threads and only starts asynchronous calls, each
 * bounded by a timeout. Thread-safe.
 */
final class SimFleet implements AutoCloseable {
  private static final Duration CALL = EtcdClients.CALL_TIMEOUT;
  private static final int REVOKES_IN_FLIGHT = 200;

  private final Client client;
  private final SimSettings settings;
  private final ScheduledThreadPoolExecutor timer;
  private final Set<SimAgent> agents = ConcurrentHashMap.newKeySet();
  private final SimCounters counters = new SimCounters();

  SimFleet(EtcdEndpoints endpoints, SimSettings settings) {
    // Plain jetcd defaults, not EtcdClients.connect: the detect figures were measured with this client.
    this.client = Client.builder().endpoints(endpoints.uris()).loadBalancerPolicy("round_robin").build();
    this.settings = settings;
    this.timer = new ScheduledThreadPoolExecutor(2, r -> {
      Thread t = new Thread(r, "sim-timer");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
  }

  /** Grants a lease, puts the first heartbeat and starts renewing; completes when the key is written. */
  CompletableFuture<SimAgent> register(String node) {
    SimAgent a = new SimAgent(node);
    return client.getLeaseClient().grant(settings.ttl().toSeconds())
        .thenCompose(grant -> {
          a.leaseId = grant.getID();
          agents.add(a);
          return put(a).thenApply(r -> {
            startRenewing(a, Duration.ofSeconds(grant.getTTL()));
            return a;
          });
        })
        .orTimeout(CALL.toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  private void startRenewing(SimAgent a, Duration ttl) {
    Duration half = ttl.dividedBy(2);
    a.renewTask = timer.scheduleAtFixedRate(() -> renewOnce(a), half.toNanos(), half.toNanos(), TimeUnit.NANOSECONDS);
    if (settings.mode() == HeartbeatMode.LEASE) {
      long every = settings.valueEvery().toNanos();
      a.valueTask = timer.scheduleAtFixedRate(() -> refresh(a), ThreadLocalRandom.current().nextLong(every), every, TimeUnit.NANOSECONDS);
    }
  }

  /** As monitor-agent does every TTL/2: one keepalive, then (refresh mode) a fresh value. */
  private void renewOnce(SimAgent a) {
    client.getLeaseClient().keepAliveOnce(a.leaseId).orTimeout(1, TimeUnit.SECONDS).whenComplete((r, e) -> {
      if (e != null) {
        failed(a, e, counters.renewFailures);
      } else if (settings.mode() == HeartbeatMode.REFRESH && !a.isDropped()) {
        refresh(a);
      }
    });
  }

  private void refresh(SimAgent a) {
    put(a).whenComplete((r, e) -> {
      if (e != null) {
        failed(a, e, counters.putFailures);
      }
    });
  }

  private CompletableFuture<PutResponse> put(SimAgent a) {
    return client.getKVClient().put(EtcdClients.bytes(a.key()),
            EtcdClients.bytes(Heartbeat.alive(a.node(), Instant.now()).toJson()),
            PutOption.builder().withLeaseId(a.leaseId).build())
        .orTimeout(CALL.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void failed(SimAgent a, Throwable e, AtomicLong counter) {
    if (a.isDropped()) {
      return;
    }
    if (EtcdErrors.isLeaseNotFound(e)) {
      markLost(a);
    } else {
      counter.incrementAndGet();
    }
  }

  private void markLost(SimAgent a) {
    if (!a.isDropped() && !a.lost) {
      a.lost = true;
      counters.lost.incrementAndGet();
      a.stopRenewing();
    }
  }

  /** Stops {@code a}'s renewals as if its process died; returns System.nanoTime() taken just before. */
  long drop(SimAgent a) {
    long now = System.nanoTime();
    a.droppedNanos = now;
    a.stopRenewing();
    return now;
  }

  /** Leases lost without a drop (not renewed in time: the bench or etcd was too slow). */
  long lost() {
    return counters.lost.get();
  }

  List<String> lostNodes() {
    return agents.stream().filter(a -> a.lost).map(SimAgent::node).sorted().toList();
  }

  SimCounters counters() {
    return counters;
  }

  /** Stops every agent and revokes the leases still kept, bounded in calls in flight and in time. */
  @Override
  public void close() throws InterruptedException {
    agents.forEach(SimAgent::stopRenewing);
    timer.shutdownNow();
    List<SimAgent> kept = agents.stream().filter(a -> !a.isDropped() && !a.lost).toList();
    Bounded.forEach(kept, REVOKES_IN_FLIGHT, Duration.ofSeconds(30).plusMillis(kept.size() * 5L),
        a -> client.getLeaseClient().revoke(a.leaseId).orTimeout(CALL.toMillis(), TimeUnit.MILLISECONDS));
    agents.clear();
    client.close();
  }
}
