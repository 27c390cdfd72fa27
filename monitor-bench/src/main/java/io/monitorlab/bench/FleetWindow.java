package io.monitorlab.bench;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steady window of a fleet run: holds the fleet for the duration while sampling the RSS of the
 * monitor, etcd and the bench every 5 s, compacting etcd's history as its auto-compaction would, and
 * logging progress every minute; CPU of the three processes and etcd's counters are taken at both ends.
 * Ends early when the monitor exits, or when the bench lost more than half of the fleet's leases (etcd or
 * the machine could not keep up: the rest of a long window would measure nothing). One loop on the
 * caller's thread.
 */
final class FleetWindow {
  private static final Logger log = LoggerFactory.getLogger(FleetWindow.class);
  private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
  private static final Duration LOG_EVERY = Duration.ofMinutes(1);

  private final BenchContext ctx;
  private final FleetSettings settings;
  private final Child monitor;
  private final FleetSim fleet;
  private final FleetRun out;
  private final long self = ProcessHandle.current().pid();

  FleetWindow(BenchContext ctx, FleetSettings settings, Child monitor, FleetSim fleet, FleetRun out) {
    this.ctx = ctx;
    this.settings = settings;
    this.monitor = monitor;
    this.fleet = fleet;
    this.out = out;
  }

  void run() throws InterruptedException {
    EtcdMetrics m0 = EtcdMetrics.scrape(ctx.http());
    long[] before = {monitor.cpuTicks().orElse(-1), ProcStats.cpuTicks(self).orElse(-1), etcdTicks()};
    long t0 = System.nanoTime();
    long end = t0 + settings.duration().toNanos();
    long nextLog = t0 + LOG_EVERY.toNanos();
    long nextCompaction = t0;
    Compactor compactor = new Compactor(ctx.client(), ctx.endpoints());
    double[] rssMax = new double[3];
    while (System.nanoTime() - end < 0) {
      // Waiting on the monitor's exit rather than sleeping: a monitor that dies ends the window at once.
      if (monitor.awaitExit(Pace.left(Math.min(end, System.nanoTime() + SAMPLE_EVERY.toNanos()))).isPresent()) {
        break;
      }
      sample(rssMax);
      int held = fleet.stats().held();
      if (held < out.size / 2) {
        out.endedEarly = true;
        log.warn("fleet window ends early: the bench holds {} of {} leases; see the bench renewal figures", held, out.size);
        break;
      }
      if (!settings.compactEvery().isZero() && System.nanoTime() - nextCompaction >= 0) {
        nextCompaction += settings.compactEvery().toNanos();
        compactor.tick();
      }
      if (System.nanoTime() - nextLog >= 0) {
        nextLog += LOG_EVERY.toNanos();
        progress(end, rssMax[0]);
      }
    }
    long wall = System.nanoTime() - t0;
    long[] after = {monitor.cpuTicks().orElse(-1), ProcStats.cpuTicks(self).orElse(-1), etcdTicks()};
    EtcdMetrics m1 = EtcdMetrics.scrape(ctx.http());
    out.etcdRates.putAll(m1.ratesSince(m0));
    out.etcdGauges.putAll(m1.gauges());
    out.monitorDied = !monitor.isAlive();
    out.monitorRssMaxMb = rssMax[0];
    out.monitorRssEndMb = monitor.rssKb().isPresent() ? ProcStats.mb(monitor.rssKb().getAsLong()) : Double.NaN;
    out.benchRssMaxMb = rssMax[1];
    out.etcdRssMaxMb = settings.etcdPid() > 0 ? rssMax[2] : Double.NaN;
    out.benchThreads = ProcStats.threads(self);
    out.monitorCpu = percent(before[0], after[0], wall);
    out.benchCpu = percent(before[1], after[1], wall);
    out.etcdCpu = percent(before[2], after[2], wall);
  }

  private void sample(double[] rssMax) {
    rssMax[0] = Math.max(rssMax[0], ProcStats.mb(monitor.rssKb().orElse(0)));
    rssMax[1] = Math.max(rssMax[1], ProcStats.mb(ProcStats.rssKb(self).orElse(0)));
    if (settings.etcdPid() > 0) {
      rssMax[2] = Math.max(rssMax[2], ProcStats.mb(ProcStats.rssKb(settings.etcdPid()).orElse(0)));
    }
  }

  private void progress(long end, double monitorRss) throws InterruptedException {
    SimStats s = fleet.stats();
    log.info("fleet steady left_s={} monitor_rss_mb={} monitor_lines={} held={} lost={} at_risk={} missed={} "
            + "max_gap_ms={} lag_p99_ms={} put_failures={} puts_skipped={}",
        Math.max(0, (end - System.nanoTime()) / 1_000_000_000L), Math.round(monitorRss), monitor.out().seen(), s.held(),
        s.renewals().lostNodes().size(), s.renewals().atRiskNodes().size(), s.renewals().missed(),
        Math.round(s.renewals().maxGapMs()), s.renewals().lagP99Ms(), s.putFailures(), s.putsSkipped());
  }

  private long etcdTicks() {
    return settings.etcdPid() > 0 ? ProcStats.cpuTicks(settings.etcdPid()).orElse(-1) : -1;
  }

  private static double percent(long before, long after, long wall) {
    return before < 0 || after < 0 ? Double.NaN : ProcStats.percentOfCore(after - before, wall);
  }
}
