package io.monitorlab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The footprint group: agent start -> heartbeat key visible in etcd; the RSS of agents after a
 * while; the idle CPU of two agents and of the monitor watching them, the monitor serving HTTP on a free
 * loopback port (nobody requests anything), side by side with the lab's Python monitor when it can run.
 * Runs on the caller's thread.
 */
final class FootprintBench {
  static final String GROUP = "footprint";
  private static final Logger log = LoggerFactory.getLogger(FootprintBench.class);

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
  private final List<Double> labRss = new ArrayList<>();
  private final List<Double> labCpu = new ArrayList<>();
  private int missingKey;
  private int missingIdle;

  FootprintBench(BenchContext ctx, FootprintSettings settings, int runs) {
    this.ctx = ctx;
    this.settings = settings;
    this.runs = runs;
  }

  void run() throws Exception {
    for (int run = 1; run <= runs; run++) {
      String name = "monitor-footprint-r" + run;
      try (KeyEvents keys = KeyEvents.start(ctx.endpoints(), AgentStart.KEY_TIMEOUT);
          Child monitor = ctx.ready(ctx.startHttpMonitor(name, HttpBench.freePort()), name);
          Child lab = LabMonitor.start(ctx, "lab-monitor-footprint-r" + run).orElse(null)) {
        log.info("footprint run={}/{} agent starts={}", run, runs, settings.starts());
        for (int k = 0; k < settings.starts(); k++) {
          startTrial(keys, ctx.node("r" + run + "-v" + k));
        }
        log.info("footprint run={}/{} idle agents=2 rss_after={} idle={}", run, runs,
            DurationConverter.format(settings.rssAfter()), DurationConverter.format(settings.idle()));
        idle(monitor, lab, ctx.node("r" + run + "-idle-a"), ctx.node("r" + run + "-idle-b"));
        monitor.terminate();
        monitor.awaitExit(Duration.ofSeconds(5));
      }
    }
    report();
  }

  private void startTrial(KeyEvents keys, String node) throws Exception {
    Optional<AgentStart> start = AgentStart.time(ctx, keys, node);
    if (start.isEmpty()) {
      missingKey++;
      return;
    }
    startToKey.add(start.get().toKey());
    start.get().toSent().ifPresent(startToSent::add);
  }

  private void idle(Child monitor, Child lab, String nodeA, String nodeB) throws Exception {
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
      boolean labUp = lab != null && lab.isAlive();
      if (labUp) {
        lab.rssKb().ifPresent(kb -> labRss.add(ProcStats.mb(kb)));
      }
      long labBefore = labUp ? ticks(lab) : -1;
      long[] before = {ticks(a), ticks(b), ticks(monitor)};
      long t0 = System.nanoTime();
      long end = t0 + settings.idle().toNanos();
      while (System.nanoTime() - end < 0) {
        Pace.until(Math.min(end, System.nanoTime() + Duration.ofMinutes(1).toNanos()));
        log.info("footprint idle left_s={}", Math.max(0, (end - System.nanoTime()) / 1_000_000_000L));
      }
      long[] after = {ticks(a), ticks(b), ticks(monitor)};
      long labAfter = labUp ? ticks(lab) : -1;
      long wall = System.nanoTime() - t0;
      if (!a.isAlive() || !b.isAlive() || !monitor.isAlive() || before[0] < 0 || after[2] < 0) {
        missingIdle++;
        return;
      }
      agentCpu.add(ProcStats.percentOfCore(after[0] - before[0], wall));
      agentCpu.add(ProcStats.percentOfCore(after[1] - before[1], wall));
      monitorCpu.add(ProcStats.percentOfCore(after[2] - before[2], wall));
      if (labBefore >= 0 && labAfter >= 0 && lab.isAlive()) {
        labCpu.add(ProcStats.percentOfCore(labAfter - labBefore, wall));
      }
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
    add("monitor idle CPU with 2 agents over " + window + ", HTTP on", Units.PERCENT, monitorCpu, missingIdle,
        Goal.unit(Units.PERCENT).median(0.5), "% of one core; --http on a free loopback port, no client");
    add("monitor RSS with 2 agents, HTTP on", Units.MB, monitorRss, missingIdle, Goal.unit(Units.MB).median(80),
        "read with the agents' RSS (the monitor started before the timed agent starts); "
            + String.join(" ", Jvm.SERVER_FLAGS));
    if (!labRss.isEmpty() || !labCpu.isEmpty()) {
      add("lab Python monitor RSS with 2 agents", Units.MB, labRss, 0, Goal.measureOnly(),
          "monitor_heartbeat.py (python3-etcd3 0.12.0), started with ours, read at the same instant");
      add("lab Python monitor idle CPU over " + window, Units.PERCENT, labCpu, 0, Goal.measureOnly(),
          "% of one core, the same window");
    }
  }

  private void add(String name, String unit, List<Double> values, int missing, Goal goal, String note) {
    ctx.report().add(new Figure(GROUP, name, unit, values, missing, goal, note));
  }
}
