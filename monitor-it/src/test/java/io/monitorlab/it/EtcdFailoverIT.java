package io.monitorlab.it;

import static io.monitorlab.it.support.Match.exact;
import static io.monitorlab.it.support.Match.prefix;
import static io.monitorlab.it.support.Match.regex;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Production runs a 3-member etcd: losing its leader must not make a live node look dead, and the
 * monitor must keep reporting afterwards. Real jars against three real etcd processes.
 */
@Tag("fault")
@Timeout(90)
class EtcdFailoverIT {
  private static final Duration START = ofSeconds(30);
  private static final Duration TTL = ofSeconds(5);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.of(3);
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void killingTheEtcdLeaderNeitherKillsANodeNorBlindsTheMonitor() throws Exception {
    String node = Nodes.unique("failover");
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    RunningProcess agent = processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));
    Line alive = monitor.awaitLine(regex(LabScenarioIT.aliveLine(node)), START);
    Line sent = agent.awaitLine(exact("[Heartbeat] Sent for " + node), START);

    int leader = etcd.leaderIndex();
    long killed = System.nanoTime();
    etcd.kill(leader);
    // Two more refreshes after the leader died: the heartbeat carried on through the election.
    Line after = agent.awaitLineAfter(agent.awaitLineAfter(sent, exact("[Heartbeat] Sent for " + node), ofSeconds(10)),
        exact("[Heartbeat] Sent for " + node), ofSeconds(10));
    Timing.report("leader " + etcd.member(leader).name() + " killed -> second heartbeat refresh",
        after.since(killed), ofSeconds(10));

    long agentKilled = agent.signal("KILL");
    Line dead = monitor.awaitLineAfter(alive, exact("[-] Node " + node + " DEAD (lease expired)"), ofSeconds(20));
    Duration toDead = Timing.report("after failover: kill -9 agent -> monitor prints DEAD", dead.since(agentKilled), TTL.plusSeconds(1));

    assertThat(monitor.stdoutText().subList(alive.index() + 1, dead.index()))
        .as("no death or departure reported while the node was alive")
        .noneMatch(l -> l.startsWith("[-] Node " + node + " "));
    assertThat(monitor.stdoutMatching(prefix("[+] Node " + node + " "))).as("ALIVE once").hasSize(1);
    assertThat(agent.stdoutText().subList(0, after.index())).as("the lease survived the election")
        .noneMatch(l -> l.contains(" lost for "));
    assertThat(toDead).as("the monitor's watch survived the leader's death").isLessThanOrEqualTo(TTL.plusSeconds(1));
  }
}
