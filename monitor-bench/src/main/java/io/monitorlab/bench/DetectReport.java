package io.monitorlab.bench;

import java.util.ArrayList;
import java.util.List;

/** Turns the detect group's values into table rows. */
final class DetectReport {
  private final BenchContext ctx;
  private final DetectSettings settings;
  private final DetectSamples s;

  DetectReport(BenchContext ctx, DetectSettings settings, DetectSamples samples) {
    this.ctx = ctx;
    this.settings = settings;
    this.s = samples;
  }

  void add() {
    Goal deadGoal = Goal.unit(Units.MS).median(4500).p99(5600).max(6000);
    if (settings.realKills() + settings.simDrops() > 0) {
      add("kill -9 / drop -> DEAD, all agents (TTL 5 s)", concat(s.real.toDead, s.sim.toDead),
          s.real.missingDead + s.sim.missingDead, deadGoal, s.real.toDead.size() + " real + " + s.sim.toDead.size()
              + " simulated trials; etcd checks lease expiry every 500 ms: TTL + 0.5 s is the floor of the max"
              + (s.notAlive > 0 ? "; " + s.notAlive + " agents never reported ALIVE (not counted)" : ""));
      add("etcd DELETE event -> DEAD line", concat(s.real.deleteToDead, s.sim.deleteToDead),
          s.real.missingDelete + s.sim.missingDelete, Goal.unit(Units.MS).p99(10),
          "independent deaths; both on the bench's clock: its own watch (own client) vs the monitor's stdout line");
    }
    if (settings.realKills() > 0) {
      add("kill -9 -> DEAD, real agents", s.real.toDead, s.real.missingDead, deadGoal,
          "SIGKILL at a random instant within one 2.5 s renewal period");
    }
    if (settings.simDrops() > 0) {
      add("drop -> DEAD, simulated agents", s.sim.toDead, s.sim.missingDead, deadGoal,
          "renewals (keepalive + put every TTL/2, as monitor-agent) stopped one at a time, 400-800 ms apart"
              + (s.simLeasesLost > 0 ? "; " + s.simLeasesLost + " leases lost before their drop" : ""));
    }
    if (settings.burst() > 0) {
      add("mass expiry of " + settings.burst() + ": DELETE event -> DEAD line", s.burst.deleteToDead,
          s.burst.missingDead + s.burst.missingDelete, Goal.measureOnly(),
          "all leases expire in the same 500 ms check: each DEAD line waits for the earlier ones and their status pairs");
    }
    if (settings.terms() > 0) {
      add("SIGTERM -> LEFT line", s.termToLeft, s.missingLeft, Goal.unit(Units.MS).p99(200), "");
      add("SIGTERM -> agent exited with 0", s.termToExit, s.missingExit + s.badExitCodes, Goal.unit(Units.MS).max(2000),
          "README: exits with 0 within 2 s"
              + (s.badExitCodes > 0 ? "; " + s.badExitCodes + " exits with a code other than 0 (counted as missing)" : ""));
    }
  }

  private static List<Double> concat(List<Double> a, List<Double> b) {
    List<Double> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private void add(String name, List<Double> values, int missing, Goal goal, String note) {
    ctx.report().add(new Figure(DetectBench.GROUP, name, Units.MS, values, missing, goal, note));
  }
}
