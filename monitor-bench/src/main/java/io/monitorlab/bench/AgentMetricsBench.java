package io.monitorlab.bench;

import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-metrics group: real agents with config metrics [] and as many with all five, started side by side
 * (interleaved) so that the machine's load weighs on both alike; their RSS a while after start, then their CPU
 * time per iteration over a window. The cost of the metrics is the difference of the medians of the two sides,
 * per run. Runs on the caller's thread.
 */
final class AgentMetricsBench {
  static final String GROUP = "agent-metrics";
  private static final Logger log = LoggerFactory.getLogger(AgentMetricsBench.class);
  private static final String ITERATION = "[Agent] Iteration ";
  private static final String METRICS = "[Metrics] ";

  /** One side's readings in one run. */
  private static final class Side {
    final List<Double> rss = new ArrayList<>();
    final List<Double> cpuUsPerIteration = new ArrayList<>();
    final List<Double> cpuPercent = new ArrayList<>();
    int missing;
    long metricsLines;
  }

  private final BenchContext ctx;
  private final AgentMetricsSettings settings;
  private final int runs;
  private final Side none = new Side();
  private final Side all = new Side();
  private final List<Double> rssGrowth = new ArrayList<>();
  private final List<Double> cpuGrowth = new ArrayList<>();
  private int iterations = Integer.MAX_VALUE;

  AgentMetricsBench(BenchContext ctx, AgentMetricsSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      log.info("agent-metrics run={}/{} agents={}+{} interval={} rss_after={} cpu_window={}", run, runs, settings.agents(),
          settings.agents(), DurationConverter.format(settings.interval()), DurationConverter.format(settings.rssAfter()),
          DurationConverter.format(settings.cpuWindow()));
      run(run);
    }
    report();
  }

  private void run(int run) throws Exception {
    List<String> nodes = new ArrayList<>();
    List<Side> sides = new ArrayList<>();
    for (int i = 0; i < settings.agents(); i++) {
      nodes.add(ctx.node("am-r" + run + "-none-" + i));
      sides.add(none);
      nodes.add(ctx.node("am-r" + run + "-all-" + i));
      sides.add(all);
    }
    for (int i = 0; i < nodes.size(); i++) {
      put(Keys.config(nodes.get(i)), settings.config(sides.get(i) == all ? AgentMetricsSettings.ALL : List.of()));
    }
    List<Child> agents = new ArrayList<>();
    try {
      for (String node : nodes) {
        agents.add(ctx.startAgent(node));
      }
      measure(agents, sides);
    } finally {
      agents.forEach(Child::terminate);
      for (Child a : agents) {
        a.awaitExit(Duration.ofSeconds(5));
        a.close();
      }
      for (String node : nodes) {
        EtcdClients.call(ctx.client().getKVClient().delete(EtcdClients.bytes(Keys.config(node))), ctx.endpoints());
      }
    }
  }

  private void measure(List<Child> agents, List<Side> sides) throws InterruptedException {
    Pace.until(agents.get(agents.size() - 1).startedNanos() + settings.rssAfter().toNanos());
    List<Double> rssNone = new ArrayList<>();
    List<Double> rssAll = new ArrayList<>();
    long[] ticks = new long[agents.size()];
    int[] counted = new int[agents.size()];
    for (int i = 0; i < agents.size(); i++) {
      Child a = agents.get(i);
      double mb = a.rssKb().isPresent() ? ProcStats.mb(a.rssKb().getAsLong()) : Double.NaN;
      (sides.get(i) == all ? rssAll : rssNone).add(mb);
      ticks[i] = a.cpuTicks().orElse(-1);
      counted[i] = count(a, ITERATION);
    }
    long t0 = System.nanoTime();
    Pace.until(t0 + settings.cpuWindow().toNanos());
    long wall = System.nanoTime() - t0;
    List<Double> cpuNone = new ArrayList<>();
    List<Double> cpuAll = new ArrayList<>();
    for (int i = 0; i < agents.size(); i++) {
      Child a = agents.get(i);
      Side side = sides.get(i);
      long after = a.cpuTicks().orElse(-1);
      int n = count(a, ITERATION) - counted[i];
      if (!a.isAlive() || ticks[i] < 0 || after < 0 || n <= 0 || Double.isNaN((side == all ? rssAll : rssNone).get(i / 2))) {
        side.missing++;
        continue;
      }
      iterations = Math.min(iterations, n);
      double us = (after - ticks[i]) * 1e6 / ProcStats.clockTicksPerSecond() / n;
      side.rss.add((side == all ? rssAll : rssNone).get(i / 2));
      side.cpuUsPerIteration.add(us);
      side.cpuPercent.add(ProcStats.percentOfCore(after - ticks[i], wall));
      side.metricsLines += count(a, METRICS);
      (side == all ? cpuAll : cpuNone).add(us);
    }
    if (!cpuNone.isEmpty() && !cpuAll.isEmpty()) {
      cpuGrowth.add(median(cpuAll) - median(cpuNone));
      double rss = median(rssAll) - median(rssNone);
      if (!Double.isNaN(rss)) {
        rssGrowth.add(rss);
      }
    }
    log.info("agent-metrics rss_none={} rss_all={} cpu_us_none={} cpu_us_all={}", rssNone, rssAll, cpuNone, cpuAll);
  }

  private static int count(Child a, String prefix) {
    return (int) a.out().from(0).stream().filter(l -> l.text().startsWith(prefix)).count();
  }

  private static double median(List<Double> values) {
    List<Double> measured = values.stream().filter(v -> !Double.isNaN(v)).toList();
    return measured.isEmpty() ? Double.NaN : Stats.of(measured).median();
  }

  private void put(String key, String value) throws InterruptedException {
    EtcdClients.call(ctx.client().getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value)), ctx.endpoints());
  }

  private void report() {
    String after = DurationConverter.format(settings.rssAfter());
    String window = String.format(Locale.ROOT, "over %s at interval %s (>= %d iterations each)",
        DurationConverter.format(settings.cpuWindow()), DurationConverter.format(settings.interval()),
        iterations == Integer.MAX_VALUE ? 0 : iterations);
    add("agent RSS " + after + " after start, metrics []", Units.MB, none.rss, none.missing, Goal.measureOnly(),
        settings.agents() + " agents per side per run, started interleaved");
    add("agent RSS " + after + " after start, all five metrics", Units.MB, all.rss, all.missing, Goal.measureOnly(),
        String.join(", ", AgentMetricsSettings.ALL));
    add("agent RSS growth with all five metrics", Units.MB, rssGrowth, 0, Goal.unit(Units.MB).median(2),
        "per run: median of the all-five side - median of the [] side");
    add("agent CPU per iteration, metrics []", Units.US, none.cpuUsPerIteration, none.missing, Goal.measureOnly(),
        "utime+stime from /proc " + window + "; heartbeat, config watch and iteration line included");
    add("agent CPU per iteration, all five metrics", Units.US, all.cpuUsPerIteration, all.missing, Goal.measureOnly(),
        "[Metrics] lines: " + all.metricsLines + " (the [] side: " + none.metricsLines + ")");
    add("metrics collection CPU per iteration", Units.US, cpuGrowth, 0, Goal.unit(Units.US).median(2000),
        "per run: median of the all-five side - median of the [] side: reading /proc and statfs, rendering, the "
            + "[Metrics] line and the put of /monitor/metrics/<node>");
    add("agent CPU, metrics []", Units.PERCENT, none.cpuPercent, none.missing, Goal.measureOnly(), "% of one core");
    add("agent CPU, all five metrics", Units.PERCENT, all.cpuPercent, all.missing, Goal.measureOnly(), "% of one core");
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    ctx.report().add(new Figure(GROUP, name, unit, values, missing, goal, note));
  }
}
