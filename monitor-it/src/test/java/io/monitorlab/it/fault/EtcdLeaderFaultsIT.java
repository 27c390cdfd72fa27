package io.monitorlab.it.fault;

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
 * "Never lie about liveness", property 1: whatever a 3-member etcd goes through (a follower or the
 * leader lost, the leader moved every 3 s, the leader frozen, every member restarted in turn), a live
 * agent is never reported DEAD, during the fault nor in the TTL after it; and property 2 right after
 * each fault: an agent killed then is reported DEAD within TTL + 1.5 s. Two real agents per test (one
 * is killed at the end, the other lives on), a real monitor, the real 5 s TTL, FAST etcd elections.
 */
@Tag("fault")
@Timeout(120)
class EtcdLeaderFaultsIT {
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
  void aLiveNodeIsNeverReportedDeadWhileEtcdLosesAFollower() {
    MonitoredNode n = MonitoredNode.startWithSurvivor(processes, etcd, "lose-follower");
    int leader = leaders.leaderIndex();
    // The follower serving the monitor's watch when there is one: the monitor must move its watch too.
    int victim = n.watchMember != leader ? n.watchMember : (leader + 1) % 3;
    etcd.kill(victim);
    long ended = System.nanoTime();
    System.out.println("[fault] killed follower m" + victim + " (leader m" + leader + ")");
    afterTheFault(n, ended, "follower m" + victim + " killed");
  }

  @Test
  void aLiveNodeIsNeverReportedDeadWhileEtcdLosesItsLeader() {
    MonitoredNode n = MonitoredNode.startWithSurvivor(processes, etcd, "lose-leader");
    int leader = leaders.leaderIndex();
    etcd.kill(leader);
    int next = leaders.awaitLeaderOtherThan(leader, ofSeconds(10));
    long ended = System.nanoTime();
    System.out.println("[fault] killed leader m" + leader + "; m" + next + " took over");
    afterTheFault(n, ended, "leader m" + leader + " killed");
  }

  @Test
  void aLiveNodeIsNeverReportedDeadWhileTheLeaderMovesEveryThreeSecondsForThirtySeconds() {
    MonitoredNode n = MonitoredNode.startWithSurvivor(processes, etcd, "move-leader");
    EtcdCtl etcdctl = new EtcdCtl(processes, etcd.endpoints());
    for (int move = 1; move <= 10; move++) {
      n.assertNotReportedGoneFor(ofSeconds(3), "before leader move " + move);
      leaders.moveLeaderAway(etcdctl);
    }
    long ended = System.nanoTime();
    System.out.println("[fault] leader changes seen: " + leaders.changes().size());
    afterTheFault(n, ended, "10 leader moves, 3 s apart");
  }

  @Test
  void aLiveNodeIsNeverReportedDeadWhileTheLeaderIsFrozenForTenSeconds() {
    MonitoredNode n = MonitoredNode.startWithSurvivor(processes, etcd, "frozen-leader");
    int leader = leaders.leaderIndex();
    etcd.pause(leader);
    System.out.println("[fault] froze leader m" + leader + " (SIGSTOP)");
    n.assertNotReportedGoneFor(ofSeconds(10), "while leader m" + leader + " was frozen");
    etcd.resume(leader);
    afterTheFault(n, System.nanoTime(), "leader m" + leader + " frozen 10 s");
  }

  @Test
  void aLiveNodeIsNeverReportedDeadThroughARollingRestartOfEveryMember() throws Exception {
    MonitoredNode n = MonitoredNode.startWithSurvivor(processes, etcd, "rolling-restart");
    for (int i = 0; i < 3; i++) {
      etcd.restart(i);
      System.out.println("[fault] restarted m" + i);
    }
    afterTheFault(n, System.nanoTime(), "every member restarted in turn");
  }

  /**
   * Kills one agent right away (property 2: DEAD in time) while the other must stay unreported for
   * the aftermath of the fault (property 1).
   */
  private void afterTheFault(MonitoredNode n, long ended, String fault) {
    n.killAndAssertReportedDeadInTime(leaders, fault);
    n.assertSurvivorNotReportedGoneInTheAftermathOf(ended, fault);
    n.assertNoThreadDied();
  }
}
