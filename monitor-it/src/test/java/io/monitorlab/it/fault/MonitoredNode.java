package io.monitorlab.it.fault;

import static io.monitorlab.it.support.MonitorLines.alive;
import static io.monitorlab.it.support.MonitorLines.anyAlive;
import static io.monitorlab.it.support.MonitorLines.dead;
import static io.monitorlab.it.support.MonitorLines.gone;
import static io.monitorlab.it.support.MonitorLines.sent;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdWatchers;
import io.monitorlab.it.support.LeaderTracker;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real monitor and a real agent (the jars, the real 5 s TTL) on a 3-member etcd, optionally with a
 * second agent that lives through the whole test, and the checks the fault tests share: a live node
 * is never reported gone, and a node killed with kill -9 is reported DEAD within TTL + 1.5 s (of the
 * last leader change, which resets leases, when that came later).
 */
final class MonitoredNode {
  static final Duration TTL = Duration.ofSeconds(5);
  /** Property 2: kill -9 -> DEAD within TTL + 1.5 s (counted from the last leader change if later). */
  static final Duration DEAD_BOUND = TTL.plusMillis(1500);
  /**
   * After a fault ends, a lease it broke would expire within the TTL, plus the 0.5 s etcd adds to every
   * lease when a new leader takes over, plus its 0.5 s expiry tick, plus delivery.
   */
  static final Duration AFTERMATH = TTL.plusMillis(1500);
  static final Duration START = Duration.ofSeconds(30);

  /** The agent that may be killed. */
  final String node;
  final RunningProcess monitor;
  final RunningProcess agent;
  final Line alive;
  /** A second agent that is never killed (null when not started). */
  final String survivorNode;
  final RunningProcess survivor;
  /** The member serving the monitor's watch when it started. */
  final int watchMember;

  private MonitoredNode(String node, RunningProcess monitor, RunningProcess agent, Line alive,
      String survivorNode, RunningProcess survivor, int watchMember) {
    this.node = node;
    this.monitor = monitor;
    this.agent = agent;
    this.alive = alive;
    this.survivorNode = survivorNode;
    this.survivor = survivor;
    this.watchMember = watchMember;
  }

  /** The monitor and one agent. */
  static MonitoredNode start(Processes processes, EtcdCluster etcd, String base) {
    return start(processes, etcd, base, false);
  }

  /** The monitor and one agent, plus a survivor agent that must never be reported gone. */
  static MonitoredNode startWithSurvivor(Processes processes, EtcdCluster etcd, String base) {
    return start(processes, etcd, base, true);
  }

  /** Starts the monitor, finds the member serving its watch, then starts the agent(s) and waits until ALIVE. */
  private static MonitoredNode start(Processes processes, EtcdCluster etcd, String base, boolean withSurvivor) {
    String node = Nodes.unique(base);
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    monitor.awaitLine(Match.prefix("[Status] Total alive: "), START);
    int watchMember = EtcdWatchers.memberServingTheOnlyWatch(etcd);
    RunningProcess agent = processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));
    String survivorNode = withSurvivor ? node + "-survivor" : null;
    RunningProcess survivor = withSurvivor
        ? processes.start(survivorNode, Command.agent("--node", survivorNode, "--endpoints", etcd.endpoints()))
        : null;
    Line alive = monitor.awaitLine(alive(node), START);
    agent.awaitLine(sent(node), START);
    if (withSurvivor) {
      monitor.awaitLine(alive(survivorNode), START);
    }
    System.out.println("[fault] " + node + ": the monitor watches through m" + watchMember);
    return new MonitoredNode(node, monitor, agent, alive, survivorNode, survivor, watchMember);
  }

  /** Property 1: no DEAD or LEFT line for a live node, so far and during {@code period}. */
  void assertNotReportedGoneFor(Duration period, String during) {
    Quiet.assertNoLineFor(monitor, goneLiveNodes(), period, during);
  }

  /**
   * Property 1 after a fault that ended at {@code faultEnded} (System.nanoTime()): the survivor is not
   * reported gone until {@link #AFTERMATH} after it (a lease the fault broke would have expired by then).
   */
  void assertSurvivorNotReportedGoneInTheAftermathOf(long faultEnded, String fault) {
    Duration left = AFTERMATH.minus(Timing.between(faultEnded, System.nanoTime()));
    Quiet.assertNoLineFor(monitor, gone(survivorNode), left.isNegative() ? Duration.ZERO : left,
        "until " + Timing.seconds(AFTERMATH) + " after " + fault);
  }

  /**
   * Property 2: right after a renewal (the lease then has its whole TTL left) kill -9 the agent; the
   * monitor must print DEAD within {@link #DEAD_BOUND} of the kill, or of the last leader change if one
   * came later. Returns the measured time.
   */
  Duration killAndAssertReportedDeadInTime(LeaderTracker leaders, String label) {
    agent.awaitLineSince(System.nanoTime(), sent(node), Duration.ofSeconds(10));
    return assertDeadInTime(leaders, agent.signal("KILL"), label);
  }

  /** Property 2 once the agent was killed at {@code killed} (System.nanoTime()). */
  Duration assertDeadInTime(LeaderTracker leaders, long killed, String label) {
    Line dead = monitor.awaitLineAfter(alive, dead(node), Duration.ofSeconds(40));
    long from = leaders.laterOfAndLastChange(killed, dead.nanos());
    Duration took = Timing.report(label + ": kill -9 -> [-] DEAD"
        + (from != killed ? " (counted from the last leader change, " + Timing.seconds(Timing.between(killed, from))
        + " after the kill)" : ""), Timing.between(from, dead.nanos()), DEAD_BOUND);
    reportMonitorNotes();
    assertThat(dead.nanos() - killed).as("%s: the DEAD line came after the kill, not before (a live node reported dead)", label)
        .isPositive();
    assertThat(monitor.stdoutMatching(anyAlive(node))).as("the node was reported ALIVE once, never again").hasSize(1);
    assertThat(monitor.stdoutMatching(gone(node))).as("one [-] line for the node").hasSize(1);
    assertThat(took).as("%s: kill -9 -> DEAD within TTL + 1.5 s%s", label,
        from != killed ? " of the last leader change" : "").isLessThanOrEqualTo(DEAD_BOUND);
    return took;
  }

  /** Property 6, second half: no thread of these processes died with an uncaught exception. */
  void assertNoThreadDied() {
    List<RunningProcess> all = new ArrayList<>(List.of(monitor, agent));
    if (survivor != null) {
      all.add(survivor);
    }
    for (RunningProcess p : all) {
      assertThat(p.stderrText()).as("%s stderr", p.name()).noneMatch(l -> l.contains("Exception in thread"));
    }
  }

  /** What the monitor said about its contact with etcd, for the build log. */
  void reportMonitorNotes() {
    monitor.stdoutMatching(Match.prefix("[Monitor] ")).stream().skip(3)
        .forEach(l -> System.out.println("[fault] monitor said: " + l.text()));
  }

  private Match goneLiveNodes() {
    return new Match("[-] line for " + node + (survivorNode == null ? "" : " or " + survivorNode),
        l -> l.startsWith("[-] Node " + node + " ") || (survivorNode != null && l.startsWith("[-] Node " + survivorNode + " ")));
  }
}
