package io.monitorlab.it.fault;

import static io.monitorlab.it.support.MonitorLines.anyAlive;
import static io.monitorlab.it.support.MonitorLines.gone;
import static io.monitorlab.it.support.MonitorLines.kept;
import static io.monitorlab.it.support.MonitorLines.sent;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.CpuTime;
import io.monitorlab.it.support.EtcdCtl;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.LeaderTracker;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.MonitorLines;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.SimulatedAgents;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * "Never lie about liveness", property 6: no thread dies silently and nothing spins. After a series
 * of etcd faults (leader killed, a member frozen, the lease revoked, the key deleted, the whole
 * cluster down for longer than the TTL) the agent and the monitor use under 5 % of a core over 10 s
 * of idling (a bound that only catches a spinning loop), also while etcd is down, and no
 * "Exception in thread" reached stderr; and every loop still answers afterwards.
 */
@Tag("fault")
@Timeout(120)
class NoSpinningAfterFaultsIT {
  private static final Duration IDLE = ofSeconds(10);
  /** 5 % of one core over {@link #IDLE}. */
  private static final Duration CPU_BOUND = IDLE.dividedBy(20);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void afterEtcdFaultsTheAgentAndTheMonitorIdleWithoutSpinningAndNoThreadDied() throws Exception {
    MonitoredNode n = MonitoredNode.start(processes, etcd, "no-spin");
    String key = Keys.heartbeat(n.node);
    EtcdCtl etcdctl = new EtcdCtl(processes, etcd.endpoints());
    EtcdProbe probe = new EtcdProbe(etcd.client());

    try (LeaderTracker leaders = LeaderTracker.start(etcd)) {
      int leader = leaders.leaderIndex();
      etcd.kill(leader);
      leaders.awaitLeaderOtherThan(leader, ofSeconds(10));
      etcd.heal();
    }
    etcd.pause(n.watchMember);
    Quiet.holdFor(ofSeconds(4), "both processes running while m" + n.watchMember + " is frozen", () -> bothAlive(n));
    etcd.resume(n.watchMember);
    assertThat(n.monitor.stdoutMatching(gone(n.node))).as("no [-] line for the live node after the leader's death and a freeze").isEmpty();
    long lease = probe.get(key).orElseThrow().getLease();
    etcdctl.revokeLease(lease);
    probe.awaitPresentWithNewLease(key, lease, ofSeconds(10));
    etcdctl.delete(key);
    probe.awaitPresent(key, ofSeconds(10));

    // The agent undid the revoke and the delete within the monitor's grace: no DEAD, twice "still ALIVE".
    Awaitility.await().atMost(ofSeconds(10)).until(() -> n.monitor.stdoutMatching(kept(n.node)).size() == 2);
    assertThat(n.monitor.stdoutMatching(gone(n.node))).as("no [-] line for a node that wrote its key again at once").isEmpty();
    assertThat(n.monitor.stdoutMatching(anyAlive(n.node))).hasSize(1);

    // Whole cluster down for longer than the TTL. etcd keeps leases over a restart and gives them a
    // whole TTL again under the new leader, so the live node must not be reported DEAD afterwards.
    for (int i = 0; i < 3; i++) {
      etcd.kill(i);
    }
    Duration[] outage = idleCpu(n, "with all of etcd down");
    etcd.heal();
    long healed = System.nanoTime();
    // The test's own client reconnects with backoff too: its failures do not count, only the key.
    Awaitility.await().atMost(ofSeconds(30)).ignoreExceptions().until(() -> probe.get(key).isPresent());
    n.agent.awaitLineSince(healed, sent(n.node), ofSeconds(30));
    n.monitor.awaitLineSince(healed, Match.prefix("[Status] Currently ALIVE nodes: "), ofSeconds(30));

    Duration[] idle = idleCpu(n, "idle after the faults");
    // The agent renews within about a second of etcd answering (its retries reset gRPC's reconnect
    // backoff); the 10 s idle measurement above gave a lease expiry time to show.
    assertThat(n.monitor.stdoutMatching(gone(n.node))).as("no [-] line for the live node after the whole-cluster outage").isEmpty();
    System.out.printf(Locale.ROOT, "[fault] CPU over 10 s: agent %d ms, monitor %d ms with etcd down; agent %d ms, monitor %d ms idle after%n",
        outage[0].toMillis(), outage[1].toMillis(), idle[0].toMillis(), idle[1].toMillis());
    assertThat(idle[0]).as("agent CPU over 10 s idle after the faults").isLessThan(CPU_BOUND);
    assertThat(idle[1]).as("monitor CPU over 10 s idle after the faults").isLessThan(CPU_BOUND);
    assertThat(outage[0]).as("agent CPU over 10 s with all of etcd down").isLessThan(CPU_BOUND);
    assertThat(outage[1]).as("monitor CPU over 10 s with all of etcd down").isLessThan(CPU_BOUND);
    everyLoopStillWorks(n, etcdctl);
    n.assertNoThreadDied();
  }

  /**
   * A thread that ended without a trace would show as silence: the config watcher must still apply a
   * put, the work loop follow it, the heartbeat beat, and the monitor report a new node.
   */
  private static void everyLoopStillWorks(MonitoredNode n, EtcdCtl etcdctl) {
    long t0 = System.nanoTime();
    etcdctl.put(Keys.config(n.node), "{\"interval\": 1, \"metrics\": [\"cpu\", \"after-faults\"]}");
    Line updated = n.agent.awaitLineSince(t0, Match.exact("[Config] UPDATED config from etcd: {'interval': 1, 'metrics': ['cpu', 'after-faults']}"), ofSeconds(5));
    n.agent.awaitLineAfter(updated, Match.regex("\\[Agent] Iteration \\d+: interval=1s, metrics=\\['cpu', 'after-faults']"), ofSeconds(5));
    n.agent.awaitLineSince(t0, sent(n.node), ofSeconds(5));
    String newcomer = n.node + "-newcomer";
    try (SimulatedAgents sim = new SimulatedAgents(etcd.client())) {
      sim.register(newcomer, 60);
      n.monitor.awaitLineSince(t0, MonitorLines.alive(newcomer), ofSeconds(5));
      sim.crash(newcomer);
      n.monitor.awaitLineSince(t0, MonitorLines.dead(newcomer), ofSeconds(5));
    }
    Timing.report("after the faults: config applied, work loop, heartbeat and monitor all answered", Timing.between(t0, System.nanoTime()), ofSeconds(5));
  }

  /** CPU time of the agent and the monitor over {@link #IDLE}, both required to stay alive. */
  private static Duration[] idleCpu(MonitoredNode n, String what) {
    Duration agent0 = CpuTime.of(n.agent.pid());
    Duration monitor0 = CpuTime.of(n.monitor.pid());
    Quiet.holdFor(IDLE, "agent and monitor running " + what, () -> bothAlive(n));
    Duration agent = CpuTime.of(n.agent.pid()).minus(agent0);
    Duration monitor = CpuTime.of(n.monitor.pid()).minus(monitor0);
    Timing.report("agent CPU time over 10 s " + what, agent, CPU_BOUND);
    Timing.report("monitor CPU time over 10 s " + what, monitor, CPU_BOUND);
    return new Duration[] {agent, monitor};
  }

  private static boolean bothAlive(MonitoredNode n) {
    return n.agent.isAlive() && n.monitor.isAlive();
  }
}
