package io.monitorlab.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.options.GetOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fleet run: register N simulated agents, start a monitor once they are all up (its cold start
 * lists N keys), hold the fleet for the duration ({@link FleetWindow}), then count the monitor's DEAD
 * lines: no agent is ever dropped, so each is false. A DEAD for an agent whose lease the bench lost or
 * renewed too late is told apart. A {@link FleetProbe} may measure the monitor on its own thread during the
 * window. Runs on the caller's thread.
 */
final class FleetTrial {
  private static final Logger log = LoggerFactory.getLogger(FleetTrial.class);
  static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration RAMP_SLACK = Duration.ofSeconds(60);
  private static final Duration COLD_START_TIMEOUT = Duration.ofSeconds(120);
  /** After a first status line short of N, how long a later one listing all N is awaited. */
  private static final Duration ALL_ALIVE_GRACE = Duration.ofSeconds(10);
  private static final String NODE_LINE = "[-] Node ";
  /** How long a probe still running when the window ends may go on. */
  private static final Duration PROBE_GRACE = Duration.ofMinutes(5);

  private final BenchContext ctx;
  private final FleetSettings settings;
  private final int size;
  private final HeartbeatMode mode;
  private final int run;
  private final List<String> monitorArgs;
  private final FleetProbe probe;
  private final FleetRun out = new FleetRun();

  FleetTrial(BenchContext ctx, FleetSettings settings, int size, HeartbeatMode mode, int run) {
    this(ctx, settings, size, mode, run, List.of(), FleetProbe.NONE);
  }

  /** A run whose monitor gets {@code monitorArgs} and is measured by {@code probe} during the window. */
  FleetTrial(BenchContext ctx, FleetSettings settings, int size, HeartbeatMode mode, int run, List<String> monitorArgs,
      FleetProbe probe) {
    this.ctx = ctx;
    this.settings = settings;
    this.size = size;
    this.mode = mode;
    this.run = run;
    this.monitorArgs = List.copyOf(monitorArgs);
    this.probe = probe;
  }

  FleetRun run() throws Exception {
    String name = (settings.metricsEvery().isZero() ? "f" : "h") + size + "-" + mode.label() + "-r" + run;
    List<String> nodes = IntStream.range(0, size).mapToObj(i -> ctx.node(name + "-" + i)).toList();
    out.size = size;
    try (FleetSim fleet = new FleetSim(ctx.endpoints(), new SimSettings(TTL, mode, settings.valueEvery(), settings.metricsEvery()), settings.renewal())) {
      Ramp.Result<SimLease> ramp = Ramp.run(fleet::register, nodes, settings.rampRate(), RAMP_SLACK);
      out.registered = ramp.agents().size();
      out.rampFailures = ramp.failures();
      out.rampPerSecond = ramp.perSecond();
      SimStats s = fleet.stats();
      log.info("fleet registered agents={} failures={} took_ms={} held={} lost={} max_gap_ms={}", out.registered,
          out.rampFailures, ramp.took().toMillis(), s.held(), s.renewals().lostNodes().size(), Math.round(s.renewals().maxGapMs()));
      if (settings.metricsEvery().compareTo(Duration.ZERO) > 0) {
        // After the ramp, and a whole period before the monitor starts: it lists every agent's metrics value.
        fleet.publishMetrics();
        Pace.until(System.nanoTime() + settings.metricsEvery().toNanos());
        s = fleet.stats();
        log.info("fleet publishing metrics every={} held={} lost={} max_gap_ms={} lag_p99_ms={} rtt_p99_ms={} metrics_puts={} "
                + "failed={} skipped={}", DurationConverter.format(settings.metricsEvery()), s.held(),
            s.renewals().lostNodes().size(), Math.round(s.renewals().maxGapMs()), s.renewals().lagP99Ms(),
            s.renewals().rttP99Ms(), s.metrics().sent(), s.metrics().failures(), s.metrics().skipped());
      }
      out.heldAtStart = s.held();
      out.keysAtStart = keys(name);
      try (Child monitor = ctx.startMonitor("monitor-" + ctx.node(name), monitorArgs)) {
        if (coldStart(monitor)) {
          try (FleetProbe.Running p = FleetProbe.start(probe, monitor, name)) {
            new FleetWindow(ctx, settings, monitor, fleet, out).run();
            p.await(PROBE_GRACE);
          }
        } else {
          out.monitorDied = !monitor.isAlive();
        }
        out.sim = fleet.stats();
        countLines(monitor, new HashSet<>(nodes));
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(10));
      }
    }
    return out;
  }

  /**
   * Waits for the monitor's first status pair, then (if short) for one listing every key of the fleet etcd held
   * when it started (all N unless the bench lost leases during the ramp); false when no status line came.
   */
  private boolean coldStart(Child monitor) throws InterruptedException {
    Optional<LineLog.Line> header = monitor.out().await(Console.MONITOR_START::equals, 0, BenchContext.START_TIMEOUT);
    Optional<LineLog.Line> first = monitor.out().await(Console.totalAlive(), 0, COLD_START_TIMEOUT);
    if (header.isEmpty() || first.isEmpty()) {
      log.warn("fleet monitor printed no status line within {}s; see {}", COLD_START_TIMEOUT.toSeconds(), ctx.logDir());
      return false;
    }
    out.reportedAlive = Console.aliveCount(first.get().text());
    out.getWatchMs = Pace.ms(first.get().nanos() - header.get().nanos());
    int all = out.keysAtStart;
    Optional<LineLog.Line> listed = out.reportedAlive >= all ? first
        : monitor.out().await(s -> Console.aliveCount(s) >= all, first.get().index(), ALL_ALIVE_GRACE);
    listed.ifPresent(l -> out.coldStartMs = Pace.ms(l.nanos() - monitor.startedNanos()));
    log.info("fleet monitor cold start ms={} first_status_alive={} keys={} held={} of={}",
        listed.isPresent() ? Math.round(out.coldStartMs) : "-", out.reportedAlive, all, out.heldAtStart, size);
    return true;
  }

  /** How many heartbeat keys of this fleet etcd holds now: what a monitor started now will list. */
  private int keys(String name) throws InterruptedException {
    ByteSequence prefix = EtcdClients.bytes(Keys.heartbeat(ctx.node(name + "-")));
    GetOption count = GetOption.builder().isPrefix(true).withCountOnly(true).build();
    return (int) EtcdClients.call(ctx.client().getKVClient().get(prefix, count), ctx.endpoints()).getCount();
  }

  /** DEAD lines for agents of this fleet (none was dropped, so each is false), LEFT lines and lost contact. */
  private void countLines(Child monitor, Set<String> nodes) {
    Set<String> ofBench = new HashSet<>(out.sim.renewals().lostNodes());
    ofBench.addAll(out.sim.renewals().atRiskNodes());
    int dead = 0;
    for (LineLog.Line l : monitor.out().from(0)) {
      String t = l.text();
      Optional<String> node = Console.deadNode(t);
      if (node.isPresent() && nodes.contains(node.get())) {
        dead++;
        out.deadOfBench += ofBench.contains(node.get()) ? 1 : 0;
      } else if (t.startsWith(NODE_LINE) && t.endsWith(" LEFT (graceful shutdown)")) {
        out.left++;
      } else if (t.startsWith(Console.LOST_CONTACT)) {
        out.lostContact++;
      }
    }
    out.falseDead = dead;
  }
}
