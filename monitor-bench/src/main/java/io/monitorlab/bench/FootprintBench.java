package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The footprint group: agent start -> heartbeat key visible in etcd; the RSS of agents after a
 * while; the idle CPU of two agents and of the monitor watching them. Runs on the caller's thread.
 */
final class FootprintBench {
  static final String GROUP = "footprint";
  private static final Logger log = LoggerFactory.getLogger(FootprintBench.class);
  private static final Duration KEY_TIMEOUT = Duration.ofSeconds(15);

  private final BenchContext ctx;
  private final FootprintSettings settings;
  private final int runs;
  private final List<Double> startToKey = new ArrayList<>();
  private final List<Double> startToSent = new ArrayList<>();
  private final List<Double> agentRss = new ArrayList<>();
  private final List<Double> agentRssEnd = new ArrayList<>();
  private final List<Double> monitorRss = new ArrayList<>();
  private final List<Double> agentCpu = new ArrayList<>();
  private final List<Double> monitorCpu = new ArrayList<>();
  private int missingKey;
  private int missingIdle;

  FootprintBench(BenchContext ctx, FootprintSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      try (KeyEvents keys = KeyEvents.start(ctx.endpoints(), KEY_TIMEOUT);
          Child monitor = ctx.startReadyMonitor("monitor-footprint-r" + run)) {
        log.info("footprint run={}/{} agent starts={}", run, runs, settings.starts());
        for (int k = 0; k < settings.starts(); k++) {
          startTrial(keys, ctx.node("r" + run + "-v" + k));
        }
        log.info("footprint run={}/{} idle agents=2 rss_after={} idle={}", run, runs,
            DurationConverter.format(settings.rssAfter()), DurationConverter.format(settings.idle()));
        idle(monitor, ctx.node("r" + run + "-idle-a"), ctx.node("r" + run + "-idle-b"));
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(5));
      }
    }
    report();
  }

  private void startTrial(KeyEvents keys, String node) throws Exception {
    try (Child agent = ctx.startAgent(node)) {
      OptionalLong put = keys.awaitPut(node, KEY_TIMEOUT);
      if (put.isEmpty()) {
        missingKey++;
        return;
      }
      startToKey.add(Pace.ms(put.getAsLong() - agent.startedNanos()));
      agent.out().await(Console.sent(node), 0, KEY_TIMEOUT)
          .ifPresent(l -> startToSent.add(Pace.ms(l.nanos() - agent.startedNanos())));
      agent.terminate();
      agent.awaitExit(Duration.ofSeconds(5));
    }
  }

  private void idle(Child monitor, String nodeA, String nodeB) throws Exception {
    try (Child a = ctx.startAgent(nodeA); Child b = ctx.startAgent(nodeB)) {
      for (String node : List.of(nodeA, nodeB)) {
        if (monitor.out().await(Console.alive(node), 0, BenchContext.START_TIMEOUT).isEmpty()) {
          missingIdle++;
          return;
        }
      }
      Pace.until(b.startedNanos() + settings.rssAfter().toNanos());
      List<Child> agents = List.of(a, b);
      agents.forEach(c -> c.rssKb().ifPresent(kb -> agentRss.add(ProcStats.mb(kb))));
      monitor.rssKb().ifPresent(kb -> monitorRss.add(ProcStats.mb(kb)));
      long[] before = {ticks(a), ticks(b), ticks(monitor)};
      long t0 = System.nanoTime();
      long end = t0 + settings.idle().toNanos();
      while (System.nanoTime() - end < 0) {
        Pace.until(Math.min(end, System.nanoTime() + Duration.ofMinutes(1).toNanos()));
        log.info("footprint idle left_s={}", Math.max(0, (end - System.nanoTime()) / 1_000_000_000L));
      }
      long[] after = {ticks(a), ticks(b), ticks(monitor)};
      long wall = System.nanoTime() - t0;
      if (!a.isAlive() || !b.isAlive() || !monitor.isAlive() || before[0] < 0 || after[2] < 0) {
        missingIdle++;
        return;
      }
      agentCpu.add(ProcStats.percentOfCore(after[0] - before[0], wall));
      agentCpu.add(ProcStats.percentOfCore(after[1] - before[1], wall));
      monitorCpu.add(ProcStats.percentOfCore(after[2] - before[2], wall));
      agents.forEach(c -> c.rssKb().ifPresent(kb -> agentRssEnd.add(ProcStats.mb(kb))));
      agents.forEach(Child::terminate);
    }
  }

  private static long ticks(Child c) {
    return c.cpuTicks().orElse(-1);
  }

  private void report() {
    if (settings.starts() > 0) {
      add("agent start -> heartbeat key visible", Units.MS, startToKey, missingKey, Goal.unit(Units.MS).median(1000).stretch(500),
          "fork of java -jar -> the bench's watch sees the PUT");
      add("agent start -> first [Heartbeat] Sent line", Units.MS, startToSent, missingKey, Goal.measureOnly(), "");
    }
    String window = DurationConverter.format(settings.idle());
    add("agent RSS " + DurationConverter.format(settings.rssAfter()) + " after start", Units.MB, agentRss, missingIdle,
        Goal.unit(Units.MB).median(64).stretch(48), "agent flags: " + String.join(" ", Jvm.AGENT_FLAGS));
    add("agent RSS after the idle window", Units.MB, agentRssEnd, missingIdle, Goal.measureOnly(), "");
    add("agent idle CPU over " + window, Units.PERCENT, agentCpu, missingIdle, Goal.unit(Units.PERCENT).median(0.3),
        "% of one core, utime+stime from /proc, two agents per run");
    add("monitor idle CPU with 2 agents over " + window, Units.PERCENT, monitorCpu, missingIdle,
        Goal.unit(Units.PERCENT).median(1.0), "% of one core");
    add("monitor RSS with 2 agents", Units.MB, monitorRss, missingIdle, Goal.measureOnly(), String.join(" ", Jvm.SERVER_FLAGS));
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    ctx.report().add(new Figure(GROUP, name, unit, values, missing, goal, note));
  }
}
