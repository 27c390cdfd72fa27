package io.monitorlab.it.fault;

import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdReads;
import io.monitorlab.it.support.MonitorLines;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.SimulatedAgents;
import io.monitorlab.it.support.Timing;
import io.monitorlab.it.support.TransitionBurst;
import io.monitorlab.it.support.Transitions;
import io.monitorlab.it.support.WatchRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Never lie about liveness", property 3: no lost, duplicate or reordered transitions. A plain
 * {@code etcdctl watch --prefix /monitor/heartbeat/} records what really happened; the monitor's
 * ALIVE/DEAD/LEFT lines and its --transition-log must say the same, in the same order, each once: for
 * a burst of transitions (real agents killed and stopped among simulated ones), and for a burst made
 * while the monitor was frozen (SIGSTOP) for 30 s.
 */
@Tag("fault")
@Timeout(120)
class TransitionSequenceIT {
  private static final Duration START = ofSeconds(30);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));
  @TempDir Path tmp;

  @Test
  void aBurstOfTransitionsIsReportedExactlyAsEtcdRecordsIt() {
    String base = Nodes.unique("burst");
    WatchRecord record = record();
    WatchedMonitor monitor = WatchedMonitor.start(processes, etcd, tmp.resolve("transitions.jsonl"), base);
    RunningProcess killed = agent(base + "-agent1");
    RunningProcess stopped = agent(base + "-agent2");
    monitor.process.awaitLine(MonitorLines.alive(base + "-agent1"), START);
    monitor.process.awaitLine(MonitorLines.alive(base + "-agent2"), START);

    try (SimulatedAgents sim = new SimulatedAgents(etcd.client())) {
      TransitionBurst.run(sim, base, 7, List.of(), Map.of(30, () -> killed.signal("KILL"), 50, () -> stopped.signal("TERM")));
    }
    monitor.awaitSettled(record, () -> EtcdReads.count(etcd.client(), Keys.HEARTBEAT_PREFIX + base + "-") == 0);

    monitor.assertMatches(record);
    assertThat(stopped.awaitExit(ofSeconds(5))).as("SIGTERM -> exit 0").isZero();
  }

  @Test
  void everyTransitionMadeWhileTheMonitorWasFrozenForThirtySecondsIsReportedOnceAndInOrder() {
    String base = Nodes.unique("frozen-monitor");
    WatchRecord record = record();
    WatchedMonitor monitor = WatchedMonitor.start(processes, etcd, tmp.resolve("transitions.jsonl"), base);
    try (SimulatedAgents sim = new SimulatedAgents(etcd.client())) {
      List<String> present = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        sim.register(base + "-sim" + i, 60);
        present.add(base + "-sim" + i);
      }
      monitor.awaitPrinted(6);

      long frozen = monitor.process.signal("STOP");
      int linesBefore = monitor.process.stdout().size();
      TransitionBurst.run(sim, base, 11, present, Map.of());
      Duration left = Duration.ofSeconds(30).minus(Timing.between(frozen, System.nanoTime()));
      Quiet.holdFor(left, "the frozen monitor printing nothing", () -> monitor.process.stdout().size() == linesBefore);
      long resumed = monitor.process.signal("CONT");
      monitor.awaitSettled(record, () -> true);
      Timing.report("SIGCONT after 30 s -> the monitor reported all it missed",
          Timing.between(resumed, monitor.process.stdout().get(monitor.process.stdout().size() - 1).nanos()), ofSeconds(5));
      monitor.reportNotes();

      monitor.assertMatches(record);
      assertThat(monitor.lastStatus()).as("the last [Status] line lists the nodes etcd has")
          .containsExactlyElementsOf(Transitions.presentAfter(record.events(), Keys.HEARTBEAT_PREFIX, monitor.ours()));
    }
  }

  private WatchRecord record() {
    return WatchRecord.start(processes, etcd.endpoints(), Keys.HEARTBEAT_PREFIX, EtcdReads.revision(etcd.client()) + 1);
  }

  private RunningProcess agent(String node) {
    return processes.start(node, Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints(), "--ttl", "2"));
  }
}
