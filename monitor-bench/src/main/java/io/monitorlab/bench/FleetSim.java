package io.monitorlab.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.PutRequest;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N simulated agents inside the bench JVM, made cheap so that the bench does not starve the monitor it
 * measures: one thread (the gRPC event loop of {@link EtcdGrpc}) runs the renewal schedule and every
 * callback, and all calls are asynchronous with a bound on those in flight. Each agent grants a lease,
 * puts its heartbeat value as monitor-agent writes it ({@link SimPuts}), then every TTL/2 (fixed rate from
 * the grant) renews the lease once and, in refresh mode, puts a fresh value; in lease mode it rewrites the
 * value every {@link SimSettings#valueEvery()} only (random phase). With {@link SimSettings#metrics()}, once
 * {@link #publishMetrics()} was called, each agent also puts a status value and then a metrics value every
 * {@link SimSettings#metricsEvery()} (random phase, checked at its renewals, so spread evenly over the fleet), both
 * bound to its lease. A renewal is one request on a keepalive stream
 * shared by {@value #AGENTS_PER_STREAM} agents ({@link Renewal#STREAM}), or a stream of its own as
 * monitor-agent's {@code keepAliveOnce} opens ({@link Renewal#ONCE}, costlier for etcd and the bench).
 * Thread-safe: public methods hand their work to the loop.
 */
final class FleetSim implements AutoCloseable, KeepAliveStream.Listener {
  /** How a simulated agent sends its renewals. */
  enum Renewal { STREAM, ONCE }

  /** Few enough that a renewal etcd holds back (of a lease it found expired, until revoked) delays few others. */
  static final int AGENTS_PER_STREAM = 25;
  private static final long TICK_NANOS = Duration.ofMillis(10).toNanos();
  private static final int RENEWALS_IN_FLIGHT = 4096;
  private static final int REVOKES_IN_FLIGHT = 256;
  private static final Duration LOOP_CALL = Duration.ofSeconds(10);

  private final SimSettings settings;
  private final Renewal renewal;
  private final List<KeepAliveStream> streams = new ArrayList<>();
  private final EtcdGrpc grpc;
  private final PriorityQueue<SimLease> schedule = new PriorityQueue<>(Comparator.comparingLong(a -> a.due));
  private final Map<Long, SimLease> byLease = new HashMap<>();
  private final SimRenewals renewals = new SimRenewals();
  private final SimPuts puts;
  private final SimPuts metricsPuts;
  private final SimPuts statusPuts;
  /** Used on the loop only. */
  private final SplittableRandom random = new SplittableRandom();
  private final ScheduledFuture<?> ticker;
  private int started;
  private int renewalsInFlight;
  private boolean closing;
  private boolean metricsOn;

  FleetSim(EtcdEndpoints endpoints, SimSettings settings, Renewal renewal) {
    this.settings = settings;
    this.renewal = renewal;
    this.grpc = new EtcdGrpc(endpoints, "fleet-sim");
    this.puts = new SimPuts(grpc, renewals, SimPuts::value);
    this.metricsPuts = new SimPuts(grpc, renewals, this::metricsValue);
    this.statusPuts = new SimPuts(grpc, renewals, FleetSim::statusValue);
    this.ticker = grpc.loop().scheduleAtFixedRate(this::tick, TICK_NANOS, TICK_NANOS, TimeUnit.NANOSECONDS);
  }

  /** Grants a lease and puts the first heartbeat; completes (on the loop) once the agent renews. */
  CompletableFuture<SimLease> register(String node) {
    int channel = Math.floorMod(node.hashCode(), grpc.channels());
    long asked = System.nanoTime();
    CompletableFuture<SimLease> done = new CompletableFuture<>();
    grpc.grant(channel, settings.ttl().toSeconds())
        .thenCompose(g -> {
          SimLease a = new SimLease(node, channel, g.getID(), g.getTTL(), asked);
          return grpc.put(channel, SimPuts.value(a)).thenApply(r -> a);
        })
        .whenComplete((a, e) -> grpc.onLoop(() -> {
          if (e != null) {
            done.completeExceptionally(e);
          } else {
            start(a);
            done.complete(a);
          }
        }));
    return done;
  }

  private void start(SimLease a) {
    if (closing) {
      return;
    }
    long every = settings.valueEvery().toNanos();
    a.valueDue = System.nanoTime() + ThreadLocalRandom.current().nextLong(every);
    a.stream = started++ / AGENTS_PER_STREAM;
    if (renewal == Renewal.STREAM && a.stream == streams.size()) {
      streams.add(new KeepAliveStream(grpc, a.stream % grpc.channels(), this));
    }
    if (metricsOn) {
      a.metricsDue = System.nanoTime() + ThreadLocalRandom.current().nextLong(settings.metricsEvery().toNanos());
    }
    byLease.put(a.id, a);
    schedule.add(a);
  }

  /** Sends every renewal that is due; runs every 10 ms on the loop. */
  private void tick() {
    while (!schedule.isEmpty() && schedule.peek().due - System.nanoTime() <= 0) {
      SimLease a = schedule.poll();
      if (a.lost) {
        continue;
      }
      long now = System.nanoTime();
      renew(a, now);
      if (settings.mode() == HeartbeatMode.REFRESH || now - a.valueDue >= 0) {
        a.valueDue += settings.valueEvery().toNanos();
        puts.put(a);
      }
      if (metricsOn && now - a.metricsDue >= 0) {
        a.metricsDue += settings.metricsEvery().toNanos();
        if (!a.statusPut) {
          a.statusPut = true;
          statusPuts.put(a);
        }
        metricsPuts.put(a);
      }
      // Fixed rate, as monitor-agent; after a stall longer than a period, one renewal now and the next a period on.
      a.due = a.due + a.every - now > 0 ? a.due + a.every : now + a.every;
      schedule.add(a);
    }
  }

  private void renew(SimLease a, long now) {
    if (renewal == Renewal.STREAM) {
      renewals.sending(a, a.due, now, streams.get(a.stream).send(a, now));
      return;
    }
    boolean send = renewalsInFlight < RENEWALS_IN_FLIGHT;
    renewals.sending(a, a.due, now, send);
    if (!send) {
      return;
    }
    renewalsInFlight++;
    grpc.keepAliveOnce(a.channel, a.id, Duration.ofNanos(a.every)).whenComplete((r, e) -> grpc.onLoop(() -> {
      renewalsInFlight--;
      if (e == null) {
        answered(a, now, r.getTTL());
      } else if (EtcdErrors.isLeaseNotFound(e)) {
        renewals.lost(a);
      } else {
        failed(a, now);
      }
    }));
  }

  @Override
  public void answered(SimLease a, long sentAt, long ttlSeconds) {
    if (!a.lost) {
      renewals.answered(a, sentAt, ttlSeconds, System.nanoTime());
    }
  }

  @Override
  public void failed(SimLease a, long sentAt) {
    if (!a.lost) {
      renewals.failed(a, sentAt);
    }
  }

  /**
   * Starts the metrics puts of the agents registered so far (and of later ones): each puts its status value and
   * then its metrics value every {@link SimSettings#metricsEvery()}, the first at a random instant within one
   * period. Called after the ramp, so that registrations do not compete with them. No-op without metrics.
   */
  void publishMetrics() throws InterruptedException {
    if (!settings.metrics()) {
      return;
    }
    onLoop(() -> {
      long now = System.nanoTime();
      for (SimLease a : byLease.values()) {
        a.metricsDue = now + ThreadLocalRandom.current().nextLong(settings.metricsEvery().toNanos());
      }
      metricsOn = true;
      return null;
    });
  }

  private PutRequest metricsValue(SimLease a) {
    String json = SimMetrics.value(System.currentTimeMillis() / 1000.0, random);
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(Keys.metrics(a.node)))
        .setValue(ByteString.copyFromUtf8(json)).setLease(a.id).build();
  }

  private static PutRequest statusValue(SimLease a) {
    return PutRequest.newBuilder().setKey(ByteString.copyFromUtf8(Keys.status(a.node)))
        .setValue(ByteString.copyFromUtf8(SimMetrics.status(System.currentTimeMillis() / 1000.0))).setLease(a.id).build();
  }

  /** What the fleet did so far. */
  SimStats stats() throws InterruptedException {
    return onLoop(() -> {
      List<SimLease> held = byLease.values().stream().filter(a -> !a.lost).toList();
      return new SimStats(held.size(), renewals.stats(held, System.nanoTime()), puts.sent(), puts.failures(), puts.skipped(),
          new SimStats.Puts(metricsPuts.sent(), metricsPuts.failures(), metricsPuts.skipped()));
    });
  }

  private <T> T onLoop(java.util.concurrent.Callable<T> task) throws InterruptedException {
    try {
      return grpc.loop().submit(task).get(LOOP_CALL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("fleet sim task failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the fleet sim loop did not answer within " + LOOP_CALL.toSeconds() + "s", e);
    }
  }

  /** Stops renewing and revokes the leases still held, bounded in calls in flight and in time. Idempotent. */
  @Override
  public void close() throws InterruptedException {
    ticker.cancel(false);
    List<SimLease> held = new ArrayList<>();
    if (!grpc.loop().isShuttingDown()) {
      held = onLoop(() -> {
        closing = true;
        streams.forEach(KeepAliveStream::close);
        return byLease.values().stream().filter(a -> !a.lost).toList();
      });
    }
    Bounded.forEach(held, REVOKES_IN_FLIGHT, Duration.ofSeconds(30).plusMillis(held.size() * 5L),
        a -> grpc.revoke(a.channel, a.id));
    grpc.close();
  }
}
