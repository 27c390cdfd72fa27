package io.monitorlab.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures of one fleet size and heartbeat mode over its runs: the monitor's (false DEADs, cold start,
 * RSS, CPU), etcd's write load as rates per second, and the bench's own health (missed renewals, renewal
 * gaps, CPU), so a DEAD caused by an overloaded bench can be told from a monitor bug. Not thread-safe.
 */
final class FleetReport {
  private final Report report;
  private final String group;
  private final String prefix;
  private final double renewalsNeeded;
  private final double putsNeeded;
  private final String renewal;
  private final double rssGoalMb;
  private final double metricsPutsNeeded;

  FleetReport(Report report, String group, int n, HeartbeatMode mode, FleetSettings settings) {
    this(report, group, n, mode, settings, 256);
  }

  /** @param rssGoalMb the bound on the monitor's RSS (peak and end) */
  FleetReport(Report report, String group, int n, HeartbeatMode mode, FleetSettings settings, double rssGoalMb) {
    this.report = report;
    this.rssGoalMb = rssGoalMb;
    this.metricsPutsNeeded = settings.metricsEvery().isZero() ? 0 : n / (settings.metricsEvery().toMillis() / 1000.0);
    this.group = group;
    this.prefix = String.format(Locale.ROOT, "N=%,d %s: ", n, mode.label());
    this.renewalsNeeded = n / (FleetTrial.TTL.toMillis() / 2000.0);
    this.renewal = settings.renewal() == FleetSim.Renewal.STREAM
        ? "one request on a keepalive stream shared by " + FleetSim.AGENTS_PER_STREAM + " agents (--renewal stream)"
        : "a keepalive stream per renewal, as monitor-agent (--renewal once)";
    this.putsNeeded = mode == HeartbeatMode.REFRESH ? renewalsNeeded : n / (settings.valueEvery().toMillis() / 1000.0);
  }

  void add(List<FleetRun> runs) {
    monitor(runs);
    etcd(runs);
    bench(runs);
  }

  private void monitor(List<FleetRun> runs) {
    int died = (int) runs.stream().filter(r -> r.monitorDied).count();
    long early = runs.stream().filter(r -> r.endedEarly).count();
    add("false DEAD lines", Units.COUNT, values(runs, r -> r.monitorDied ? -1 : r.falseDead), died, Goal.unit(Units.COUNT).max(0),
        "no agent is ever stopped; 'Lost contact' lines: " + sum(runs, r -> r.lostContact)
            + (died > 0 ? "; the monitor exited in " + died + " run(s)" : "")
            + (early > 0 ? "; window cut short in " + early + " run(s): the bench had lost most leases" : ""));
    add("  of which renewed on time (monitor's fault)", Units.COUNT,
        values(runs, r -> r.monitorDied ? -1 : r.falseDead - r.deadOfBench), died, Goal.unit(Units.COUNT).max(0),
        "the others are for leases etcd reported gone or whose renewal gap reached the TTL (the bench's or etcd's doing)");
    int notAllAlive = (int) runs.stream().filter(r -> Double.isNaN(r.coldStartMs)).count();
    add("monitor cold start (fork -> all N alive)", Units.MS, values(runs, r -> r.coldStartMs), notAllAlive,
        Goal.unit(Units.MS).median(2000), "monitor started with the fleet up: JVM start + Get of N keys + watch, to the first "
            + "[Status] Total alive listing every key then in etcd; first status lists / keys / N: "
            + list(runs, r -> r.reportedAlive + "/" + r.keysAtStart + "/" + r.size));
    add("monitor Get + watch (header -> first status)", Units.MS, values(runs, r -> r.getWatchMs), 0, Goal.measureOnly(), "");
    add("monitor RSS (peak)", Units.MB, values(runs, r -> r.monitorRssMaxMb), 0, Goal.unit(Units.MB).max(rssGoalMb),
        "sampled every 5 s; " + String.join(" ", Jvm.SERVER_FLAGS));
    add("monitor RSS (end)", Units.MB, values(runs, r -> r.monitorRssEndMb), 0, Goal.unit(Units.MB).max(rssGoalMb), "");
    add("monitor CPU", Units.PERCENT, values(runs, r -> r.monitorCpu), 0, Goal.measureOnly(), "% of one core over the window");
  }

  private void etcd(List<FleetRun> runs) {
    for (EtcdMetrics.Counter c : EtcdMetrics.COUNTERS) {
      if (!c.label().equals(EtcdMetrics.FSYNC_SECONDS)) {
        String unit = c.label().contains("(kB)") ? "kB/s" : Units.PER_SECOND;
        add(c.label().replace(" (kB)", ""), unit, values(runs, r -> r.etcdRates.getOrDefault(c.label(), Double.NaN)), 0,
            Goal.measureOnly(), need(c.label()));
      }
    }
    for (EtcdMetrics.Counter c : EtcdMetrics.GAUGES) {
      boolean mb = c.label().contains("(MB)");
      add(c.label().replace(" (MB)", "") + " at end", mb ? Units.MB : Units.COUNT,
          values(runs, r -> r.etcdGauges.getOrDefault(c.label(), Double.NaN)), 0, Goal.measureOnly(), "");
    }
    add("etcd CPU", Units.PERCENT, values(runs, r -> r.etcdCpu), 0, Goal.measureOnly(), "% of one core (--etcd-pid)");
    add("etcd RSS (peak)", Units.MB, values(runs, r -> r.etcdRssMaxMb), 0, Goal.measureOnly(), "");
  }

  private void bench(List<FleetRun> runs) {
    List<FleetRun> withSim = runs.stream().filter(r -> r.sim != null).toList();
    add("bench missed renewals", Units.COUNT, values(withSim, r -> r.sim.renewals().missed()), 0, Goal.measureOnly(),
        "renewals failed or unanswered when the next fell due (TTL/2 later); sent/answered: "
            + list(withSim, r -> r.sim.renewals().sent() + "/" + r.sim.renewals().answered())
            + "; leases lost: " + sum(withSim, r -> r.sim.renewals().lostNodes().size())
            + "; at risk (renewal gap >= TTL): " + sum(withSim, r -> r.sim.renewals().atRiskNodes().size())
            + "; not sent (too many in flight): " + sum(withSim, r -> r.sim.renewals().unsent()));
    add("bench max renewal gap", Units.MS, values(withSim, r -> r.sim.renewals().maxGapMs()), 0, Goal.measureOnly(),
        "upper bound of the time between two renewals of one lease as etcd applied them; below the TTL ("
            + FleetTrial.TTL.toMillis() + " ms) no lease can have lapsed for want of a renewal");
    add("bench renewal lag (p99)", Units.MS, values(withSim, r -> r.sim.renewals().lagP99Ms()), 0, Goal.measureOnly(),
        "how late the bench sent a due renewal; p50/max: " + list(withSim, r -> fmt(r.sim.renewals().lagP50Ms())
            + "/" + fmt(r.sim.renewals().lagMaxMs())) + " ms");
    add("bench keepalive round trip (p99)", Units.MS, values(withSim, r -> r.sim.renewals().rttP99Ms()), 0, Goal.measureOnly(),
        "send -> etcd's answer; p50/max: " + list(withSim, r -> fmt(r.sim.renewals().rttP50Ms()) + "/"
            + fmt(r.sim.renewals().rttMaxMs())) + " ms");
    add("bench JVM CPU", Units.PERCENT, values(runs, r -> r.benchCpu), 0, Goal.measureOnly(),
        "% of one core: simulated agents, their gRPC loop, line readers, sampling; threads: "
            + list(runs, r -> String.valueOf(r.benchThreads)) + "; RSS peak MB: " + list(runs, r -> fmt(r.benchRssMaxMb)));
    add("ramp", Units.PER_SECOND, values(runs, r -> r.rampPerSecond), 0, Goal.measureOnly(),
        "grants/s achieved (--ramp-rate); registration failures: " + sum(runs, r -> r.rampFailures)
            + "; value puts after registration: " + sum(withSim, r -> r.sim.puts()) + ", failed: "
            + sum(withSim, r -> r.sim.putFailures()) + ", skipped (too many in flight): " + sum(withSim, r -> r.sim.putsSkipped())
            + (metricsPutsNeeded > 0 ? "; metrics puts: " + sum(withSim, r -> r.sim.metrics().sent()) + ", failed: "
                + sum(withSim, r -> r.sim.metrics().failures()) + ", skipped: " + sum(withSim, r -> r.sim.metrics().skipped()) : ""));
  }

  /** What the fleet asks of etcd for a counter, when it is known: below it, etcd (or the bench) fell behind. */
  private String need(String label) {
    if (label.equals(EtcdMetrics.PUTS) && metricsPutsNeeded > 0) {
      return String.format(Locale.ROOT, "the fleet's puts: %.1f/s = heartbeat values %.1f/s + metrics values %.1f/s "
          + "(and compaction)", putsNeeded + metricsPutsNeeded, putsNeeded, metricsPutsNeeded);
    }
    if (label.equals(EtcdMetrics.PUTS)) {
      return String.format(Locale.ROOT, "the fleet's value puts: %.1f/s (and compaction)", putsNeeded);
    }
    if (label.equals(EtcdMetrics.RENEWALS) || label.equals(EtcdMetrics.KEEPALIVES)) {
      return String.format(Locale.ROOT, "the fleet's renewals: %.1f/s (one per agent every TTL/2), each %s", renewalsNeeded,
          renewal);
    }
    return "";
  }

  private static List<Double> values(List<FleetRun> runs, ToDoubleFunction<FleetRun> f) {
    return runs.stream().mapToDouble(f).filter(v -> !Double.isNaN(v) && v >= 0).boxed().toList();
  }

  private static long sum(List<FleetRun> runs, ToDoubleFunction<FleetRun> f) {
    return Math.round(runs.stream().mapToDouble(f).sum());
  }

  private static String list(List<FleetRun> runs, java.util.function.Function<FleetRun, String> f) {
    return runs.stream().map(f).collect(Collectors.joining(", ", "[", "]"));
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    if (values.isEmpty() && missing == 0 && goal.isMeasureOnly()) {
      return;
    }
    report.add(new Figure(group, prefix + name, unit, values, missing, goal, note));
  }
}
