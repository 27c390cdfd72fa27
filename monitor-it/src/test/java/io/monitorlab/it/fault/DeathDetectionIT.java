package io.monitorlab.it.fault;

import static io.monitorlab.it.support.MonitorLines.sent;
import static java.time.Duration.ofSeconds;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.EtcdCtl;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.LeaderTracker;
import io.monitorlab.it.support.Processes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Never lie about liveness", property 2: no missed or late DEAD. An agent killed with kill -9 right
 * after a renewal (its lease has the whole TTL left) is reported DEAD within TTL + 1.5 s, counted
 * from the last etcd leader change when one came later (a new leader resets every lease), also when
 * etcd fails at the same moment. Real jars, the real 5 s TTL, FAST etcd elections.
 */
@Tag("fault")
@Timeout(90)
class DeathDetectionIT {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  private LeaderTracker leaders;

  @BeforeEach
  void trackLeader() {
    leaders = LeaderTracker.start(etcd);
  }

  @AfterEach
  void stopTracking() {
    leaders.close();
  }

  @Test
  void aKilledNodeIsReportedDeadWithinTheTtlAndAHalfSecondsWhenEtcdIsHealthy() {
    MonitoredNode n = MonitoredNode.start(processes, etcd, "healthy");
    n.killAndAssertReportedDeadInTime(leaders, "healthy etcd");
    n.assertNoThreadDied();
  }

  @Test
  void aNodeKilledJustBeforeTheLeaderDiesIsReportedDeadWithinTheTtlAndAHalfSecondsOfTheNewLeader() {
    MonitoredNode n = MonitoredNode.start(processes, etcd, "dies-with-leader");
    int leader = leaders.leaderIndex();
    n.agent.awaitLineSince(System.nanoTime(), sent(n.node), ofSeconds(10));
    long killed = n.agent.signal("KILL");
    etcd.kill(leader);
    int next = leaders.awaitLeaderOtherThan(leader, ofSeconds(10));
    System.out.println("[fault] kill -9 agent, then leader m" + leader + " killed; m" + next + " took over");
    n.assertDeadInTime(leaders, killed, "agent and then the etcd leader killed");
    n.assertNoThreadDied();
  }

  @Test
  void aNodeKilledWhileTheFollowerServingTheMonitorsWatchIsFrozenIsReportedDeadInTime() {
    MonitoredNode n = MonitoredNode.start(processes, etcd, "watch-frozen");
    int watch = n.watchMember;
    if (leaders.leaderIndex() == watch) {
      // A follower, so that the freeze causes no election: the monitor's own watch is the only thing hit.
      leaders.moveLeaderAway(new EtcdCtl(processes, etcd.endpoints()));
    }
    n.agent.awaitLineSince(System.nanoTime(), sent(n.node), ofSeconds(10));
    long killed = n.agent.signal("KILL");
    etcd.pause(watch);
    System.out.println("[fault] kill -9 agent, then froze m" + watch + " (serving the monitor's watch; leader m"
        + leaders.leaderIndex() + ")");
    try {
      n.assertDeadInTime(leaders, killed, "agent killed, the member serving the monitor's watch frozen");
    } finally {
      etcd.resume(watch);
    }
    n.assertNoThreadDied();
  }

  @Test
  void aNodeKilledJustBeforeTheMemberServingTheMonitorsWatchDiesIsReportedDeadInTime() {
    MonitoredNode n = MonitoredNode.start(processes, etcd, "watch-killed");
    int watch = n.watchMember;
    boolean wasLeader = leaders.leaderIndex() == watch;
    n.agent.awaitLineSince(System.nanoTime(), sent(n.node), ofSeconds(10));
    long killed = n.agent.signal("KILL");
    etcd.kill(watch);
    System.out.println("[fault] kill -9 agent, then m" + watch + " killed (serving the monitor's watch"
        + (wasLeader ? ", the leader)" : ", a follower)"));
    n.assertDeadInTime(leaders, killed, "agent killed, the member serving the monitor's watch killed");
    n.assertNoThreadDied();
  }
}
