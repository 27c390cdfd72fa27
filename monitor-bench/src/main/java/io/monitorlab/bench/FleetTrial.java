package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fleet run: register N simulated agents, start a monitor (cold start with N keys), then hold
 * the fleet for the duration while sampling the monitor's RSS and counting DEAD lines, with etcd's
 * counters read before and after the steady window. Runs on the caller's thread.
 */
final class FleetTrial {
  private static final Logger log = LoggerFactory.getLogger(FleetTrial.class);
  private static final Duration TTL = Duration.ofSeconds(5);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration COLD_START_TIMEOUT = Duration.ofSeconds(120);

  private final BenchContext ctx;
  private final FleetSettings settings;
  private final int size;
  private final HeartbeatMode mode;
  private final int run;
  private final FleetRun out = new FleetRun();

  FleetTrial(BenchContext ctx, FleetSettings settings, int size, HeartbeatMode mode, int run) {
    this.ctx = ctx;
    this.settings = settings;
    this.size = size;
    this.mode = mode;
    this.run = run;
  }

  FleetRun run() throws Exception {
    String prefix = "f" + size + "-" + mode.label() + "-r" + run + "-";
    List<String> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      nodes.add(ctx.node(prefix + i));
    }
    SimSettings sim = new SimSettings(TTL, mode, SimSettings.Renewal.STREAM, settings.valueEvery());
    try (SimFleet fleet = new SimFleet(ctx.endpoints(), sim)) {
      Ramp.Result ramp = Ramp.run(fleet, nodes, settings.rampRate(), Duration.ofSeconds(60));
      out.registered = ramp.agents().size();
      out.rampFailures = ramp.failures();
      out.rampPerSecond = ramp.perSecond();
      log.info("fleet registered agents={} failures={} took_ms={} leases_lost={} keepalive_stalls={}", out.registered,
          out.rampFailures, ramp.took().toMillis(), fleet.lost(), fleet.counters().stalls);
      try (Child monitor = ctx.startMonitor("monitor-" + ctx.node(prefix.substring(0, prefix.length() - 1)))) {
        if (coldStart(monitor)) {
          steady(monitor, fleet);
          countDead(monitor, new HashSet<>(nodes), new HashSet<>(fleet.lostNodes()));
        } else {
          out.monitorDied = true;
        }
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(10));
      }
      out.leasesLost = fleet.lost();
      out.putFailures = fleet.counters().putFailures.get();
      out.renewFailures = fleet.counters().renewFailures.get();
      out.stalls = fleet.counters().stalls.get();
    }
    return out;
  }

  private boolean coldStart(Child monitor) throws InterruptedException {
    Optional<LineLog.Line> header = monitor.out().await(Console.MONITOR_START::equals, 0, BenchContext.START_TIMEOUT);
    Optional<LineLog.Line> status = monitor.out().await(Console.totalAlive(), 0, COLD_START_TIMEOUT);
    if (header.isEmpty() || status.isEmpty()) {
      return false;
    }
    out.coldStartMs = Pace.ms(status.get().nanos() - monitor.startedNanos());
    out.getWatchMs = Pace.ms(status.get().nanos() - header.get().nanos());
    out.reportedAlive = Integer.parseInt(status.get().text().substring(Console.STATUS_TOTAL.length()).trim());
    log.info("fleet monitor cold start ms={} alive={}", Math.round(out.coldStartMs), out.reportedAlive);
    return true;
  }

  private void steady(Child monitor, SimFleet fleet) throws InterruptedException {
    long self = ProcessHandle.current().pid();
    EtcdMetrics m0 = EtcdMetrics.scrape(ctx.http());
    long[] before = {monitor.cpuTicks().orElse(-1), ProcStats.cpuTicks(self).orElse(-1), etcdTicks()};
    long t0 = System.nanoTime();
    long end = t0 + settings.duration().toNanos();
    long nextLog = t0 + Duration.ofMinutes(1).toNanos();
    Compactor compactor = new Compactor(ctx.client(), ctx.endpoints());
    long nextCompaction = t0;
    double rssMax = 0;
    double etcdRssMax = 0;
    while (System.nanoTime() - end < 0 && monitor.isAlive()) {
      Pace.until(Math.min(end, System.nanoTime() + SAMPLE_EVERY.toNanos()));
      rssMax = Math.max(rssMax, ProcStats.mb(monitor.rssKb().orElse(0)));
      if (settings.etcdPid() > 0) {
        etcdRssMax = Math.max(etcdRssMax, ProcStats.mb(ProcStats.rssKb(settings.etcdPid()).orElse(0)));
      }
      if (!settings.compactEvery().isZero() && System.nanoTime() - nextCompaction >= 0) {
        nextCompaction += settings.compactEvery().toNanos();
        compactor.tick();
      }
      if (System.nanoTime() - nextLog >= 0) {
        nextLog += Duration.ofMinutes(1).toNanos();
        log.info("fleet steady left_s={} monitor_rss_mb={} monitor_lines={} leases_lost={} keepalive_stalls={} put_failures={}",
            (end - System.nanoTime()) / 1_000_000_000L, Math.round(rssMax), monitor.out().seen(), fleet.lost(), fleet.counters().stalls,
            fleet.counters().putFailures);
      }
    }
    long wall = System.nanoTime() - t0;
    long[] after = {monitor.cpuTicks().orElse(-1), ProcStats.cpuTicks(self).orElse(-1), etcdTicks()};
    out.etcdRates.putAll(EtcdMetrics.scrape(ctx.http()).ratesSince(m0));
    out.monitorDied = !monitor.isAlive();
    out.monitorRssMaxMb = rssMax;
    out.monitorCpu = percent(before[0], after[0], wall);
    out.benchCpu = percent(before[1], after[1], wall);
    out.etcdCpu = percent(before[2], after[2], wall);
    out.etcdRssMaxMb = settings.etcdPid() > 0 ? etcdRssMax : Double.NaN;
  }

  private long etcdTicks() {
    return settings.etcdPid() > 0 ? ProcStats.cpuTicks(settings.etcdPid()).orElse(-1) : -1;
  }

  private static double percent(long before, long after, long wall) {
    return before < 0 || after < 0 ? Double.NaN : ProcStats.percentOfCore(after - before, wall);
  }

  /** DEAD lines for agents of this fleet: none was dropped, so each is false (or caused by a lost lease). */
  private void countDead(Child monitor, Set<String> nodes, Set<String> lost) {
    int dead = 0;
    int ofLost = 0;
    for (LineLog.Line l : monitor.out().from(0)) {
      String t = l.text();
      if (t.startsWith("[-] Node ") && t.endsWith(" DEAD (lease expired)")) {
        String node = t.substring(9, t.length() - " DEAD (lease expired)".length());
        if (nodes.contains(node)) {
          dead++;
          ofLost += lost.contains(node) ? 1 : 0;
        }
      } else if (t.startsWith("[-] Node ") && t.endsWith(" LEFT (graceful shutdown)")) {
        out.left++;
      }
    }
    out.falseDead = dead;
    out.deadOfLostLeases = ofLost;
  }
}
