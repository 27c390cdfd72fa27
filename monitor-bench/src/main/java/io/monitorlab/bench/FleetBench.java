package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet group: one real monitor watching N simulated agents (TTL 5 s, registered at no more than
 * --ramp-rate grants per second) for --duration, in refresh and lease mode: false DEADs, the
 * monitor's cold start, RSS and CPU, and etcd's write load. Runs on the caller's thread.
 */
final class FleetBench {
  static final String GROUP = "fleet";
  private static final Logger log = LoggerFactory.getLogger(FleetBench.class);

  private final BenchContext ctx;
  private final FleetSettings settings;
  private final int runs;

  FleetBench(BenchContext ctx, FleetSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int n : settings.sizes()) {
      for (HeartbeatMode mode : settings.modes()) {
        List<FleetRun> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
          log.info("fleet agents={} mode={} run={}/{} duration={}", n, mode.label(), run, runs,
              DurationConverter.format(settings.duration()));
          results.add(new FleetTrial(ctx, settings, n, mode, run).run());
        }
        report(n, mode, results);
        ctx.save();
      }
    }
  }

  private void report(int n, HeartbeatMode mode, List<FleetRun> runs) {
    String p = String.format(Locale.ROOT, "N=%,d %s: ", n, mode.label());
    int died = (int) runs.stream().filter(r -> r.monitorDied).count();
    long lost = runs.stream().mapToLong(r -> r.leasesLost).sum();
    long deadLost = runs.stream().mapToLong(r -> r.deadOfLostLeases).sum();
    add(p + "false DEAD lines", Units.COUNT, values(runs, r -> r.falseDead), died, Goal.unit(Units.COUNT).max(0),
        "DEAD for agents never dropped, per run; " + lost + " leases the bench failed to renew in time ("
            + deadLost + " of the DEADs)" + (died > 0 ? "; the monitor exited in " + died + " run(s)" : ""));
    add(p + "monitor cold start (fork -> status)", Units.MS, values(runs, r -> r.coldStartMs), 0,
        Goal.unit(Units.MS).median(2000), "JVM start + Get of N keys + watch, to the first [Status] Total alive line");
    add(p + "monitor Get + watch (header -> status)", Units.MS, values(runs, r -> r.getWatchMs), 0,
        Goal.unit(Units.MS).median(2000), "reported alive: " + runs.stream().map(r -> String.valueOf(r.reportedAlive)).toList());
    add(p + "monitor RSS (max over the run)", Units.MB, values(runs, r -> r.monitorRssMaxMb), 0, Goal.unit(Units.MB).median(256),
        String.join(" ", Jvm.SERVER_FLAGS));
    add(p + "monitor CPU", Units.PERCENT, values(runs, r -> r.monitorCpu), 0, Goal.measureOnly(), "% of one core, steady state");
    for (EtcdMetrics.Counter c : EtcdMetrics.COUNTERS) {
      if (c.label().equals(EtcdMetrics.FSYNC_SECONDS)) {
        continue;
      }
      List<Double> rates = values(runs, r -> r.etcdRates.getOrDefault(c.label(), Double.NaN));
      if (!rates.isEmpty()) {
        add(p + c.label().replace(" (kB)", ""), c.label().contains("(kB)") ? "kB/s" : Units.PER_SECOND, rates, 0,
            Goal.measureOnly(), "");
      }
    }
    add(p + "etcd CPU", Units.PERCENT, values(runs, r -> r.etcdCpu), 0, Goal.measureOnly(), "% of one core (--etcd-pid)");
    add(p + "etcd RSS (max)", Units.MB, values(runs, r -> r.etcdRssMaxMb), 0, Goal.measureOnly(), "");
    add(p + "bench JVM CPU", Units.PERCENT, values(runs, r -> r.benchCpu), 0, Goal.measureOnly(),
        "the simulated agents and their jetcd client share the 2 cores with etcd and the monitor");
    add(p + "ramp", Units.PER_SECOND, values(runs, r -> r.rampPerSecond), 0, Goal.measureOnly(),
        "grants/s achieved; registration failures: " + runs.stream().mapToInt(r -> r.rampFailures).sum()
            + "; put failures: " + runs.stream().mapToLong(r -> r.putFailures).sum()
            + "; renewal errors: " + runs.stream().mapToLong(r -> r.renewFailures).sum()
            + "; keepalive stalls: " + runs.stream().mapToLong(r -> r.stalls).sum());
  }

  private static List<Double> values(List<FleetRun> runs, java.util.function.ToDoubleFunction<FleetRun> f) {
    return runs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v) && v >= 0).boxed().toList();
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    if (values.isEmpty() && goal.isMeasureOnly()) {
      return;
    }
    ctx.report().add(new Figure(GROUP, name, unit, values, missing, goal, note));
  }
}
