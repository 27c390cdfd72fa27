package io.monitorlab.it.fault;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.KeyValue;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdCtl;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.EtcdReads;
import io.monitorlab.it.support.MonitorLines;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.SimulatedAgents;
import io.monitorlab.it.support.Transitions;
import io.monitorlab.it.support.Transitions.Transition;
import io.monitorlab.it.support.WatchRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Never lie about liveness", property 3 across compaction: the monitor is frozen while nodes die,
 * leave, flap, are deleted or born, and etcd compacts its history past all of it. When the history it
 * missed is gone, the monitor must list again and report each difference exactly once (flaps may be
 * invisible then); in any case the final state must be right and no line may repeat a node's state.
 */
@Tag("fault")
@Timeout(120)
class CompactedHistoryIT {
  private static final Duration START = ofSeconds(30);
  /** After the pause: stays, flaps (died and came back) and born (new) are present; the rest are gone. */
  private static final Set<String> FINAL = Set.of("stays", "flaps", "born");
  private static final List<String> DIFFERENCE = List.of("dies DEAD", "deleted DEAD", "born ALIVE");

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));
  @TempDir Path tmp;

  @Test
  void afterMissingCompactedHistoryTheMonitorListsAgainAndReportsEachDifferenceOnce() {
    String base = Nodes.unique("compacted");
    WatchedMonitor monitor = WatchedMonitor.start(processes, etcd, tmp.resolve("transitions.jsonl"), base);
    // Two real agents too (they keep a registration record under /monitor/nodes/ as well): one dies and
    // is reported DEAD before the monitor is frozen, the other dies while it is frozen.
    RunningProcess diedBefore = agent(base + "-real-died-before");
    RunningProcess dies = agent(base + "-real-dies");
    monitor.process.awaitLine(MonitorLines.alive(base + "-real-died-before"), START);
    monitor.process.awaitLine(MonitorLines.alive(base + "-real-dies"), START);
    killAndExpire(diedBefore, base + "-real-died-before");
    monitor.process.awaitLine(MonitorLines.dead(base + "-real-died-before"), ofSeconds(10));
    try (SimulatedAgents sim = new SimulatedAgents(etcd.client())) {
      registerBeforeThePause(sim, base, monitor, 3);
      monitor.process.signal("STOP");
      // Every member restarted while the monitor is frozen: its watch stream is gone, so the events
      // below cannot already sit in its socket; on SIGCONT it must resume from a compacted revision.
      for (int i = 0; i < 3; i++) {
        etcd.kill(i);
      }
      heal();
      int from = monitor.process.stdout().size();
      killAndExpire(dies, base + "-real-dies");
      transitionsThenCompaction(sim, base);
      monitor.process.signal("CONT");

      List<Transition> after = monitor.awaitFinalState(from, FINAL);
      monitor.reportNotes();
      assertThat(monitor.shortly(after)).as("after compacted history: each difference reported once, the flaps "
              + "invisible, nothing more about the node already reported DEAD")
          .containsExactlyInAnyOrderElementsOf(concat(DIFFERENCE, "real-dies DEAD", "leaves " + stateOf(after, base + "-leaves")));
      assertThat(stateOf(after, base + "-leaves")).as("leaves (its \"leaving\" put was compacted away)").isIn("DEAD", "LEFT");
    }
  }

  @Test
  void historyCompactedWhileTheMonitorWasFrozenIsReportedOnceWithTheRightFinalState() {
    String base = Nodes.unique("frozen-compact");
    WatchRecord record = WatchRecord.start(processes, etcd.endpoints(), Keys.HEARTBEAT_PREFIX, EtcdReads.revision(etcd.client()) + 1);
    WatchedMonitor monitor = WatchedMonitor.start(processes, etcd, tmp.resolve("transitions.jsonl"), base);
    try (SimulatedAgents sim = new SimulatedAgents(etcd.client())) {
      registerBeforeThePause(sim, base, monitor, 0);
      monitor.process.signal("STOP");
      int from = monitor.process.stdout().size();
      transitionsThenCompaction(sim, base);
      monitor.process.signal("CONT");

      List<Transition> after = monitor.awaitFinalState(from, FINAL);
      monitor.reportNotes();
      List<Transition> implied = monitor.implied(record).stream().skip(5).toList(); // the five ALIVEs before the pause
      boolean asRecorded = Transitions.compareConsole(implied, after).isEmpty();
      System.out.println("[fault] after the compaction the monitor reported " + (asRecorded
          ? "every recorded transition (its stream had them before the compaction)" : "the difference: " + after));
      if (!asRecorded) {
        assertThat(monitor.shortly(after)).as("either every recorded transition, or each difference once")
            .containsExactlyInAnyOrderElementsOf(concat(DIFFERENCE, "leaves " + stateOf(after, base + "-leaves")));
      }
    }
  }

  /** stays, dies, leaves, flaps and deleted on their own leases, reported ALIVE (after {@code linesBefore} other lines). */
  private static void registerBeforeThePause(SimulatedAgents sim, String base, WatchedMonitor monitor, int linesBefore) {
    for (String n : List.of("stays", "dies", "leaves", "flaps", "deleted")) {
      sim.register(base + "-" + n, 60);
    }
    monitor.awaitPrinted(linesBefore + 5);
  }

  /** While the monitor is frozen: each kind of change, then the history compacted past all of them. */
  private void transitionsThenCompaction(SimulatedAgents sim, String base) {
    sim.crash(base + "-dies");
    sim.leave(base + "-leaves");
    sim.crash(base + "-flaps");
    sim.register(base + "-flaps", 60);
    sim.deleteKey(base + "-deleted");
    sim.register(base + "-born", 60);
    sim.register(base + "-blink", 60);
    sim.crash(base + "-blink");
    new EtcdCtl(processes, etcd.endpoints()).compact(EtcdReads.revision(etcd.client()));
  }

  /** kill -9 of a real agent, then the lease of its key revoked: what its expiry does, without waiting the TTL. */
  private void killAndExpire(RunningProcess agent, String node) {
    agent.signal("KILL");
    agent.awaitExit(ofSeconds(5));
    long lease = Awaitility.await().atMost(ofSeconds(20)).ignoreExceptions()
        .until(() -> new EtcdProbe(etcd.client()).get(Keys.heartbeat(node)).map(KeyValue::getLease).orElse(0L), l -> l != 0);
    new EtcdCtl(processes, etcd.endpoints()).revokeLease(lease);
  }

  private static String stateOf(List<Transition> ts, String node) {
    return ts.stream().filter(t -> t.node().equals(node)).map(t -> t.state().name()).findFirst().orElse("(none)");
  }

  private static List<String> concat(List<String> list, String... more) {
    return java.util.stream.Stream.concat(list.stream(), java.util.Arrays.stream(more)).toList();
  }

  private void heal() {
    try {
      etcd.heal();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Awaitility.await().atMost(ofSeconds(20)).ignoreExceptions().until(() -> EtcdReads.revision(etcd.client()) > 0);
  }

  private RunningProcess agent(String node) {
    return processes.start(node, Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints()));
  }
}
