package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of simulated agents that renew like monitor-agent, measured against the monitor.
 * {@link #spread} gives them independent renewal phases (registered over one renewal period) and
 * drops them one at a time in random order, 400-800 ms apart, so their leases expire in different
 * 500 ms expiry checks of etcd, as independent agents dying do. {@link #burst} registers them
 * together and drops them at once, so they all expire in the same check: a mass failure.
 * Runs on the caller's thread.
 */
final class SimBatch {
  private static final Logger log = LoggerFactory.getLogger(SimBatch.class);
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final int MAX_GRANTS_PER_SECOND = 1000;
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(2);
  private static final long MIN_GAP_MS = 400;
  private static final long MAX_GAP_MS = 800;

  private final Child monitor;
  private final KeyEvents keys;
  private final SimFleet fleet;
  private final DetectSamples samples;

  SimBatch(Child monitor, KeyEvents keys, SimFleet fleet, DetectSamples samples) {
    this.monitor = monitor;
    this.keys = keys;
    this.fleet = fleet;
    this.samples = samples;
  }

  void spread(List<String> nodes) throws InterruptedException {
    int from = monitor.out().size();
    int rate = (int) Math.max(1, Math.min(MAX_GRANTS_PER_SECOND, nodes.size() / (TTL.toMillis() / 2000.0)));
    List<SimAgent> ready = new ArrayList<>(registerAlive(nodes, rate, from));
    Collections.shuffle(ready);
    long next = System.nanoTime() + Duration.ofMillis(200).toNanos();
    for (SimAgent a : ready) {
      Pace.until(next);
      long dropped = fleet.drop(a);
      next = dropped + Duration.ofMillis(ThreadLocalRandom.current().nextLong(MIN_GAP_MS, MAX_GAP_MS + 1)).toNanos();
    }
    for (SimAgent a : ready) {
      measure(a, from, samples.sim);
    }
  }

  void burst(List<String> nodes) throws InterruptedException {
    int from = monitor.out().size();
    List<SimAgent> ready = registerAlive(nodes, MAX_GRANTS_PER_SECOND, from);
    Pace.until(System.nanoTime() + Duration.ofMillis(200).toNanos());
    for (SimAgent a : ready) {
      fleet.drop(a);
    }
    for (SimAgent a : ready) {
      measure(a, from, samples.burst);
    }
  }

  private List<SimAgent> registerAlive(List<String> nodes, int rate, int from) throws InterruptedException {
    Ramp.Result<SimAgent> ramp = Ramp.run(fleet::register, nodes, rate, Duration.ofSeconds(10));
    samples.notAlive += ramp.failures();
    long aliveBy = System.nanoTime() + BenchContext.START_TIMEOUT.toNanos();
    List<SimAgent> ready = new ArrayList<>();
    for (SimAgent a : ramp.agents()) {
      if (monitor.out().await(Console.alive(a.node()), from, Pace.left(aliveBy)).isPresent()) {
        ready.add(a);
      } else {
        samples.notAlive++;
      }
    }
    return ready;
  }

  private void measure(SimAgent a, int from, DetectSamples.DeadTrials into) throws InterruptedException {
    long dropped = a.droppedNanos;
    Duration timeout = Pace.left(dropped + TTL.multipliedBy(2).plusSeconds(5).toNanos());
    Optional<LineLog.Line> dead = monitor.out().await(Console.dead(a.node()), from, timeout);
    if (dead.isEmpty()) {
      into.missingDead++;
      return;
    }
    into.toDead.add(Pace.ms(dead.get().nanos() - dropped));
    OptionalLong deleted = keys.awaitDelete(a.node(), EVENT_TIMEOUT);
    if (deleted.isEmpty()) {
      into.missingDelete++;
      return;
    }
    into.deleteToDead.add(Pace.ms(dead.get().nanos() - deleted.getAsLong()));
    log.debug("trial node={} drop_to_delete_ms={} delete_to_dead_ms={}", a.node(),
        Pace.ms(deleted.getAsLong() - dropped), Pace.ms(dead.get().nanos() - deleted.getAsLong()));
  }
}
