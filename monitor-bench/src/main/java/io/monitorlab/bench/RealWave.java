package io.monitorlab.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One wave of real agent processes: start them, wait until the monitor reports each ALIVE and
 * their renewals settled, then stop each at a random instant within one renewal period (so every phase of the agent's TTL/2
 * renewal is sampled) with SIGKILL or SIGTERM, and time the monitor's DEAD or LEFT line.
 * Runs on the caller's thread.
 */
final class RealWave {
  /** How one agent is stopped. */
  enum Stop { KILL, TERM }

  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration LEFT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration EVENT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SETTLE = Duration.ofSeconds(3);

  private final BenchContext ctx;
  private final Child monitor;
  private final KeyEvents keys;
  private final DetectSamples samples;

  RealWave(BenchContext ctx, Child monitor, KeyEvents keys, DetectSamples samples) {
    this.ctx = ctx;
    this.monitor = monitor;
    this.keys = keys;
    this.samples = samples;
  }

  void run(List<String> nodes, List<Stop> stops) throws IOException, InterruptedException {
    int from = monitor.out().size();
    List<Child> agents = new ArrayList<>();
    try {
      for (String node : nodes) {
        agents.add(ctx.startAgent(node));
      }
      long aliveBy = System.nanoTime() + BenchContext.START_TIMEOUT.toNanos();
      List<Integer> ready = new ArrayList<>();
      for (int i = 0; i < nodes.size(); i++) {
        if (monitor.out().await(Console.alive(nodes.get(i)), from, Pace.left(aliveBy)).isPresent()) {
          ready.add(i);
        } else {
          samples.notAlive++;
        }
      }
      // Past the first renewal, whose timing depends on how long the cold JVM took to get its lease: a kill
      // then meets the agent's steady TTL/2 renewal cycle at a uniformly random phase.
      long t0 = System.nanoTime() + SETTLE.toNanos();
      long period = TTL.dividedBy(2).toNanos();
      List<long[]> plan = new ArrayList<>();
      for (int i : ready) {
        plan.add(new long[] {i, t0 + ThreadLocalRandom.current().nextLong(period)});
      }
      plan.sort((a, b) -> Long.compare(a[1], b[1]));
      long[] sent = new long[nodes.size()];
      for (long[] p : plan) {
        Pace.until(p[1]);
        int i = (int) p[0];
        sent[i] = stops.get(i) == Stop.KILL ? agents.get(i).kill() : agents.get(i).terminate();
      }
      for (int i : ready) {
        if (stops.get(i) == Stop.KILL) {
          measureDead(nodes.get(i), sent[i], from);
        } else {
          measureLeft(nodes.get(i), agents.get(i), sent[i], from);
        }
      }
    } finally {
      agents.forEach(Child::close);
    }
  }

  private void measureDead(String node, long sent, int from) throws InterruptedException {
    Duration timeout = Pace.left(sent + TTL.multipliedBy(2).plusSeconds(5).toNanos());
    Optional<LineLog.Line> dead = monitor.out().await(Console.dead(node), from, timeout);
    if (dead.isEmpty()) {
      samples.real.missingDead++;
      return;
    }
    samples.real.toDead.add(Pace.ms(dead.get().nanos() - sent));
    OptionalLong deleted = keys.awaitDelete(node, EVENT_TIMEOUT);
    if (deleted.isPresent()) {
      samples.real.deleteToDead.add(Pace.ms(dead.get().nanos() - deleted.getAsLong()));
    } else {
      samples.real.missingDelete++;
    }
  }

  private void measureLeft(String node, Child agent, long sent, int from) throws InterruptedException {
    Optional<LineLog.Line> left = monitor.out().await(Console.left(node), from, LEFT_TIMEOUT);
    if (left.isPresent()) {
      samples.termToLeft.add(Pace.ms(left.get().nanos() - sent));
    } else {
      samples.missingLeft++;
    }
    OptionalInt code = agent.awaitExit(LEFT_TIMEOUT);
    OptionalLong exited = agent.exitedNanos();
    if (code.isEmpty() || exited.isEmpty()) {
      samples.missingExit++;
      return;
    }
    samples.termToExit.add(Pace.ms(exited.getAsLong() - sent));
    if (code.getAsInt() != 0) {
      samples.badExitCodes++;
    }
  }
}
