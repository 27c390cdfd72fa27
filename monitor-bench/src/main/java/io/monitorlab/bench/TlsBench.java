package io.monitorlab.bench;

import static io.monitorlab.bench.TlsRow.ACK_TO_UPDATED;
import static io.monitorlab.bench.TlsRow.CLIENT_TO_LEASE;
import static io.monitorlab.bench.TlsRow.CPU;
import static io.monitorlab.bench.TlsRow.FIRST_UPDATE;
import static io.monitorlab.bench.TlsRow.LEASE_TO_KEY;
import static io.monitorlab.bench.TlsRow.PUT_TO_ACK;
import static io.monitorlab.bench.TlsRow.RSS;
import static io.monitorlab.bench.TlsRow.RSS_END;
import static io.monitorlab.bench.TlsRow.START;
import static io.monitorlab.bench.TlsRow.START_TO_CLIENT;
import static io.monitorlab.bench.TlsRow.UPDATE;

import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tls group: real agents over TLS with a client certificate next to real agents over plaintext, each side on
 * its own etcd, interleaved in every run so that the machine's load weighs on both alike (the side that goes first
 * swaps every run and every trial). Per run: timed starts to the heartbeat key; then agents of both sides side by
 * side for RSS and idle CPU; then config puts to those agents timed to their UPDATED lines. Runs on the caller's
 * thread.
 */
final class TlsBench {
  static final String GROUP = "tls";
  private static final Logger log = LoggerFactory.getLogger(TlsBench.class);
  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  /** An agent of the side-by-side phase; {@code up} once its heartbeat key was seen. */
  private record Running(TlsSide side, String node, Child child, boolean up) {}

  private final TlsSide plain;
  private final TlsSide tls;
  private final TlsSettings settings;
  private final int runs;

  TlsBench(TlsSide plain, TlsSide tls, TlsSettings settings, int runs) {
    this.plain = plain;
    this.tls = tls;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      List<TlsSide> order = run % 2 == 1 ? List.of(plain, tls) : List.of(tls, plain);
      log.info("tls run={}/{} first={} starts={} agents={} updates={} rss_after={} idle={}", run, runs,
          order.get(0).label(), settings.starts(), settings.agents(), settings.updates(),
          DurationConverter.format(settings.rssAfter()), DurationConverter.format(settings.idle()));
      starts(run, order);
      sideBySide(run, order);
      plain.samples().endRun();
      tls.samples().endRun();
    }
    new TlsReport(plain.samples(), tls.samples(), settings, runs).addTo(plain.ctx().report());
  }

  private void starts(int run, List<TlsSide> order) throws Exception {
    for (int k = 0; k < settings.starts(); k++) {
      for (TlsSide side : k % 2 == 0 ? order : reversed(order)) {
        Optional<AgentStart> start = AgentStart.time(side.ctx(), side.keys(), side.node("r" + run + "-s" + k));
        if (start.isEmpty()) {
          side.miss(START, START_TO_CLIENT, CLIENT_TO_LEASE, LEASE_TO_KEY);
          continue;
        }
        AgentStart s = start.get();
        side.add(START, s.toKey());
        if (s.toClient().isPresent() && s.toLease().isPresent()) {
          side.add(START_TO_CLIENT, s.toClient().getAsDouble());
          side.add(CLIENT_TO_LEASE, s.toLease().getAsDouble() - s.toClient().getAsDouble());
          side.add(LEASE_TO_KEY, s.toKey() - s.toLease().getAsDouble());
        } else {
          side.miss(START_TO_CLIENT, CLIENT_TO_LEASE, LEASE_TO_KEY);
        }
      }
    }
  }

  private void sideBySide(int run, List<TlsSide> order) throws Exception {
    List<TlsSide> sides = new ArrayList<>();
    List<String> nodes = new ArrayList<>();
    List<Child> children = new ArrayList<>();
    try {
      for (int i = 0; i < settings.agents(); i++) {
        for (TlsSide side : order) {
          sides.add(side);
          nodes.add(side.node("r" + run + "-a" + i));
          children.add(side.ctx().startAgent(nodes.get(nodes.size() - 1)));
        }
      }
      List<Running> agents = new ArrayList<>();
      for (int i = 0; i < children.size(); i++) {
        boolean up = sides.get(i).keys().awaitPut(nodes.get(i), BenchContext.START_TIMEOUT).isPresent();
        agents.add(new Running(sides.get(i), nodes.get(i), children.get(i), up));
      }
      idle(agents);
      updates(agents);
    } finally {
      children.forEach(Child::terminate);
      for (Child c : children) {
        c.awaitExit(EXIT_WAIT);
        c.close();
      }
      for (int i = 0; i < nodes.size(); i++) {
        BenchContext ctx = sides.get(i).ctx();
        EtcdClients.call(ctx.client().getKVClient().delete(EtcdClients.bytes(Keys.config(nodes.get(i)))), ctx.endpoints());
      }
    }
  }

  /** RSS {@code rssAfter} after the last start, then CPU time over the idle window and RSS at its end. */
  private void idle(List<Running> agents) throws InterruptedException {
    Pace.until(agents.get(agents.size() - 1).child().startedNanos() + settings.rssAfter().toNanos());
    long[] before = new long[agents.size()];
    for (int i = 0; i < agents.size(); i++) {
      Running a = agents.get(i);
      OptionalLong rss = a.up() ? a.child().rssKb() : OptionalLong.empty();
      rss.ifPresentOrElse(kb -> a.side().add(RSS, ProcStats.mb(kb)), () -> a.side().miss(RSS));
      before[i] = a.child().cpuTicks().orElse(-1);
    }
    long t0 = System.nanoTime();
    Pace.until(t0 + settings.idle().toNanos());
    long wall = System.nanoTime() - t0;
    for (int i = 0; i < agents.size(); i++) {
      Running a = agents.get(i);
      long after = a.child().cpuTicks().orElse(-1);
      if (!a.up() || !a.child().isAlive() || before[i] < 0 || after < 0) {
        a.side().miss(CPU, RSS_END);
        continue;
      }
      a.side().add(CPU, ProcStats.percentOfCore(after - before[i], wall));
      a.child().rssKb().ifPresentOrElse(kb -> a.side().add(RSS_END, ProcStats.mb(kb)), () -> a.side().miss(RSS_END));
    }
  }

  /** Config puts to every agent in turn; the first of each agent is its cold path and is kept apart. */
  private void updates(List<Running> agents) throws Exception {
    for (int k = 0; k < settings.updates(); k++) {
      NodeConfig config = NodeConfig.parse("{\"interval\": 30, \"metrics\": [\"cpu\", \"u" + k + "\"]}");
      for (Running a : k % 2 == 0 ? agents : reversed(agents)) {
        if (!a.up()) {
          a.side().miss(k == 0 ? FIRST_UPDATE : UPDATE);
          continue;
        }
        ConfigUpdate u = ConfigUpdate.time(a.side().ctx(), a.child(), a.node(), config);
        if (u.toUpdated().isEmpty()) {
          a.side().miss(k == 0 ? FIRST_UPDATE : UPDATE);
        } else if (k == 0) {
          a.side().add(FIRST_UPDATE, u.toUpdated().getAsDouble());
        } else {
          a.side().add(UPDATE, u.toUpdated().getAsDouble());
          a.side().add(PUT_TO_ACK, u.toAck());
          a.side().add(ACK_TO_UPDATED, u.ackToUpdated().getAsDouble());
        }
        TimeUnit.MILLISECONDS.sleep(50 + ThreadLocalRandom.current().nextLong(100));
      }
    }
  }

  private static <T> List<T> reversed(List<T> list) {
    List<T> out = new ArrayList<>(list);
    Collections.reverse(out);
    return out;
  }
}
