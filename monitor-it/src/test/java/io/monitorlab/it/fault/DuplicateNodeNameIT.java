package io.monitorlab.it.fault;

import static io.monitorlab.it.support.MonitorLines.leaseCreated;
import static io.monitorlab.it.support.MonitorLines.leaseId;
import static io.monitorlab.it.support.MonitorLines.sent;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.KeyValue;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Timing;
import io.monitorlab.it.support.WatchRecord;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Never lie about liveness", property 4, second half: two agents with the same node name. The second
 * one reports a CONFLICT and never writes; the key never flip-flops between them (checked with jetcd
 * all along and with a real {@code etcdctl watch} of the key), also when the first one was frozen,
 * lost its key to the second, and comes back. Real agent jars, the real 5 s TTL, 3-member etcd.
 */
@Tag("fault")
@Timeout(90)
class DuplicateNodeNameIT {
  private static final Duration START = ofSeconds(30);
  /** Longer than the TTL plus etcd's 0.5 s expiry tick. */
  private static final Duration LONGER_THAN_TTL = ofSeconds(6);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void aSecondAgentWithTheSameNodeNameReportsAConflictAndTheKeyNeverFlipFlops() {
    String node = Nodes.unique("twin");
    String key = Keys.heartbeat(node);
    RunningProcess first = agent(node);
    long lease = leaseId(first.awaitLine(leaseCreated(), START));
    first.awaitLine(sent(node), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());
    WatchRecord record = WatchRecord.start(processes, etcd.endpoints(), key, probe.get(key).orElseThrow().getModRevision() + 1);

    RunningProcess second = processes.start(node + "-twin", Command.agent("--node", node, "--endpoints", etcd.endpoints()));
    Line conflict = second.awaitLine(Match.prefix("[Heartbeat] CONFLICT: node " + node
        + " is already registered by another agent (lease " + lease + ", value "), START);
    int beatsBefore = first.stdoutMatching(sent(node)).size();
    Quiet.holdFor(ofSeconds(10), "the key " + key + " held by the first agent's lease " + lease,
        () -> probe.get(key).map(KeyValue::getLease).orElse(0L) == lease);

    assertThat(first.stdoutMatching(sent(node)).size() - beatsBefore).as("the first agent kept beating").isGreaterThanOrEqualTo(3);
    assertThat(conflict.text()).endsWith("; not overwriting it, waiting for it to go");
    assertThat(second.stdoutMatching(Match.prefix("[Heartbeat] CONFLICT: "))).as("one CONFLICT line").hasSize(1);
    assertThat(second.stdoutMatching(sent(node))).as("the second agent never wrote the key").isEmpty();
    assertOnlyPutsWith(record, lease, "while both agents ran");
  }

  @Test
  void anOriginalAgentThatWasFrozenDoesNotTakeItsKeyBackFromTheAgentThatReplacedIt() {
    String node = Nodes.unique("usurped");
    String key = Keys.heartbeat(node);
    RunningProcess original = agent(node);
    long originalLease = leaseId(original.awaitLine(leaseCreated(), START));
    original.awaitLine(sent(node), START);
    RunningProcess replacement = processes.start(node + "-twin", Command.agent("--node", node, "--endpoints", etcd.endpoints()));
    replacement.awaitLine(Match.prefix("[Heartbeat] CONFLICT: node " + node), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());

    long stopped = original.signal("STOP");
    long replaced = probe.awaitPresentWithNewLease(key, originalLease, ofSeconds(15));
    KeyValue taken = probe.get(key).orElseThrow();
    long replacementLease = taken.getLease();
    Timing.report("original frozen: SIGSTOP -> the other agent holds the key", Timing.between(stopped, replaced), ofSeconds(8));
    WatchRecord record = WatchRecord.start(processes, etcd.endpoints(), key, taken.getModRevision() + 1);

    long resumed = original.signal("CONT");
    Quiet.holdFor(LONGER_THAN_TTL, "the key " + key + " held by the replacement's lease " + replacementLease,
        () -> probe.get(key).map(KeyValue::getLease).orElse(0L) == replacementLease);

    original.awaitLineSince(resumed, Match.prefix("[Heartbeat] CONFLICT: node " + node
        + " is already registered by another agent (lease " + replacementLease + ", "), ofSeconds(5));
    assertOnlyPutsWith(record, replacementLease, "after the original agent resumed");
  }

  /** Every event the etcdctl record saw on the key is a PUT with {@code lease}: no delete, no other writer. */
  private static void assertOnlyPutsWith(WatchRecord record, long lease, String when) {
    List<WatchRecord.Event> events = record.events();
    assertThat(events).as("etcdctl watch of the key %s: every event a PUT with lease %d", when, lease)
        .isNotEmpty()
        .allSatisfy(e -> {
          assertThat(e.type()).isEqualTo(WatchRecord.Event.Type.PUT);
          assertThat(e.lease()).isEqualTo(lease);
        });
  }

  private RunningProcess agent(String node) {
    return processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));
  }
}
