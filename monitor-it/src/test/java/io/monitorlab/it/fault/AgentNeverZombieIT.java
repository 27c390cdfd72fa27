package io.monitorlab.it.fault;

import static io.monitorlab.it.support.MonitorLines.leaseCreated;
import static io.monitorlab.it.support.MonitorLines.leaseId;
import static io.monitorlab.it.support.MonitorLines.sent;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdCtl;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.LeaderTracker;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.MemberClients;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Never lie about liveness", property 4: the agent never becomes a zombie. Whenever its heartbeat
 * key or lease is gone (expired while the agent was frozen or cut off from etcd, revoked, deleted) it
 * registers again within 2 s of being able to, and keeps the key from then on. Real agent jars with
 * the real 5 s TTL on a 3-member etcd, real etcdctl. (Duplicate node names: {@link DuplicateNodeNameIT}.)
 */
@Tag("fault")
@Timeout(90)
class AgentNeverZombieIT {
  private static final Duration START = ofSeconds(30);
  private static final Duration BACK_BOUND = ofSeconds(2);
  /** Longer than the TTL plus etcd's 0.5 s expiry tick: a key that is not kept alive would be gone by then. */
  private static final Duration LONGER_THAN_TTL = ofSeconds(6);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void anAgentFrozenLongerThanItsTtlRegistersAgainWithinTwoSecondsOfSigcont() {
    String node = Nodes.unique("frozen-agent");
    String key = Keys.heartbeat(node);
    RunningProcess agent = agent(node);
    long lease = leaseId(agent.awaitLine(leaseCreated(), START));
    agent.awaitLine(sent(node), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());

    long stopped = agent.signal("STOP");
    long gone = probe.awaitAbsent(key, ofSeconds(15));
    long resumed = agent.signal("CONT");
    long back = probe.awaitPresentWithNewLease(key, lease, ofSeconds(15));

    System.out.println("[fault] " + node + " frozen " + Timing.seconds(Timing.between(stopped, resumed))
        + "; its key expired " + Timing.seconds(Timing.between(stopped, gone)) + " after SIGSTOP");
    Duration took = Timing.report("agent frozen > TTL: SIGCONT -> key back with a new lease", Timing.between(resumed, back), BACK_BOUND);
    assertThat(took).as("SIGCONT -> registered again").isLessThanOrEqualTo(BACK_BOUND);
    agent.awaitLineSince(resumed, Match.prefix("[Heartbeat] Lease " + lease + " lost for " + node + " ("), ofSeconds(5));
    assertKeptAlive(agent, probe, key, "after registering again");
  }

  @Test
  void anAgentWhoseLeaseIsRevokedRegistersAgainWithinTwoSeconds() {
    String node = Nodes.unique("revoked");
    String key = Keys.heartbeat(node);
    RunningProcess agent = agent(node);
    long lease = leaseId(agent.awaitLine(leaseCreated(), START));
    EtcdProbe probe = new EtcdProbe(etcd.client());
    Line first = agent.awaitLine(sent(node), START);
    // Right after a renewal: the agent's next renewal is a whole TTL/2 away.
    agent.awaitLineAfter(first, sent(node), ofSeconds(10));

    long revoked = System.nanoTime();
    new EtcdCtl(processes, etcd.endpoints()).revokeLease(lease);
    long back = probe.awaitPresentWithNewLease(key, lease, ofSeconds(15));

    Duration took = Timing.report("etcdctl lease revoke -> key back with a new lease", Timing.between(revoked, back), BACK_BOUND);
    assertThat(took).as("revoke -> registered again").isLessThanOrEqualTo(BACK_BOUND);
    assertKeptAlive(agent, probe, key, "after its lease was revoked");
  }

  @Test
  void anAgentWhoseKeyIsDeletedWritesItAgainWithinTwoSeconds() {
    String node = Nodes.unique("deleted");
    String key = Keys.heartbeat(node);
    RunningProcess agent = agent(node);
    EtcdProbe probe = new EtcdProbe(etcd.client());
    Line first = agent.awaitLine(sent(node), START);
    agent.awaitLineAfter(first, sent(node), ofSeconds(10));

    long deleted = System.nanoTime();
    new EtcdCtl(processes, etcd.endpoints()).delete(key);
    long back = probe.awaitPresent(key, ofSeconds(15));

    Duration took = Timing.report("etcdctl del -> key back", Timing.between(deleted, back), BACK_BOUND);
    assertThat(took).as("del -> written again").isLessThanOrEqualTo(BACK_BOUND);
    assertKeptAlive(agent, probe, key, "after its key was deleted");
  }

  @Test
  void anAgentCutOffLongerThanItsTtlByAFrozenMemberRegistersAgainWithinTwoSecondsOfReachingEtcd() {
    cutOffLongerThanTheTtl("frozen", false);
  }

  @Test
  void anAgentCutOffLongerThanItsTtlByADeadMemberRegistersAgainWithinTwoSecondsOfReachingEtcd() {
    cutOffLongerThanTheTtl("killed", true);
  }

  /**
   * The agent reaches etcd only through one follower; that member is frozen (or killed) until the lease
   * has expired, then comes back. The agent can register again as soon as the member answers.
   */
  private void cutOffLongerThanTheTtl(String how, boolean kill) {
    String node = Nodes.unique("cut-off-" + how);
    String key = Keys.heartbeat(node);
    int only;
    try (LeaderTracker leaders = LeaderTracker.start(etcd)) {
      only = (leaders.leaderIndex() + 1) % 3;
    }
    RunningProcess agent = processes.start(node, Command.agent("--node", node, "--endpoints", etcd.member(only).endpoint()));
    long lease = leaseId(agent.awaitLine(leaseCreated(), START));
    agent.awaitLine(sent(node), START);
    try (Client others = MemberClients.of(etcd, MemberClients.allBut(etcd, only))) {
      EtcdProbe probe = new EtcdProbe(others);
      long cut = System.nanoTime();
      if (kill) {
        etcd.kill(only);
      } else {
        etcd.pause(only);
      }
      long gone = probe.awaitAbsent(key, ofSeconds(15));
      // Cut off a while longer than the expiry, as a real outage would be. A dead member is kept away 11 s:
      // gRPC retries a refused connection after about 1, 2.6, 5.2, 9.3, 15.8 s (+-20 %), so the member
      // comes back well inside one retry gap and the outcome does not hinge on jitter. A frozen one is
      // resumed before gRPC's keepalive (10 s + 2 s) would drop its connection.
      Duration away = kill ? ofSeconds(11).minus(Timing.between(cut, System.nanoTime())) : ofSeconds(2);
      Quiet.holdFor(away, "the key absent while m" + only + " is " + how, () -> probe.get(key).isEmpty());
      if (kill) {
        heal();
      } else {
        etcd.resume(only);
      }
      long reachable = System.nanoTime();
      long back = probe.awaitPresentWithNewLease(key, lease, ofSeconds(30));

      System.out.println("[fault] " + node + ": m" + only + " " + how + " for " + Timing.seconds(Timing.between(cut, reachable))
          + "; the key expired " + Timing.seconds(Timing.between(cut, gone)) + " after the cut");
      Duration took = Timing.report("agent cut off (only member " + how + ") > TTL: member back -> key back with a new lease",
          Timing.between(reachable, back), BACK_BOUND);
      assertThat(took).as("member %s back -> registered again", how).isLessThanOrEqualTo(BACK_BOUND);
      assertKeptAlive(agent, probe, key, "after the cut-off");
    }
  }

  private static void heal() {
    try {
      etcd.heal();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The key stays present for longer than the TTL: the agent keeps what it registered (no zombie). */
  private static void assertKeptAlive(RunningProcess agent, EtcdProbe probe, String key, String when) {
    Optional<KeyValue> now = probe.get(key);
    assertThat(now).as("key present " + when).isPresent();
    long lease = now.get().getLease();
    Quiet.holdFor(LONGER_THAN_TTL, "key " + key + " kept with lease " + lease + " " + when,
        () -> probe.get(key).map(KeyValue::getLease).orElse(0L) == lease);
    assertThat(agent.isAlive()).isTrue();
    assertThat(agent.stderrText()).noneMatch(l -> l.contains("Exception in thread"));
  }

  private RunningProcess agent(String node) {
    return processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));
  }
}
