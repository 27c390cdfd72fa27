package io.monitorlab.it;

import static io.monitorlab.it.support.Match.exact;
import static io.monitorlab.it.support.Match.prefix;
import static io.monitorlab.it.support.Match.regex;
import static java.time.Duration.ofMillis;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The agent repairs its registration by itself when the lease is gone: revoked by an operator,
 * expired while the process was frozen, or its key deleted. Real jars, real etcd, real etcdctl.
 */
@Timeout(90)
class AgentRecoveryIT {
  private static final Duration START = ofSeconds(30);
  /**
   * The agent talks to its lease every TTL/2 (DESIGN.md), so it notices a revoked lease or a deleted
   * key by its next renewal: at most TTL/2 = 2.5 s later, plus slack for the backoff and the calls.
   */
  private static final Duration NOTICE_BOUND = Duration.ofMillis(3500);
  private static final Pattern LEASE_CREATED = Pattern.compile("\\[Heartbeat] Lease created with TTL (\\d+) seconds, ID: (-?\\d+)");

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void anAgentRegistersAgainByItselfAfterItsLeaseWasRevoked() {
    String node = Nodes.unique("revoked");
    String key = "/monitor/heartbeat/" + node;
    RunningProcess agent = processes.start(node, Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints()));
    Line created = agent.awaitLine(regex(LEASE_CREATED.pattern()), START);
    long lease = leaseId(created);
    assertThat(ttl(created)).isEqualTo(5);
    Line first = agent.awaitLine(exact("[Heartbeat] Sent for " + node), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());
    assertThat(probe.get(key)).hasValueSatisfying(kv -> assertThat(kv.getLease()).isEqualTo(lease));
    // Right after a renewal: the worst case, a whole TTL/2 before the agent next talks to its lease.
    Line renewed = agent.awaitLineAfter(first, exact("[Heartbeat] Sent for " + node), ofSeconds(10));
    assertThat(Timing.report("lease granted -> first renewal (TTL 5 s)", renewed.since(created.nanos()), ofMillis(2800)))
        .as("the lease is renewed and the value refreshed TTL/2 after the grant (the grant call itself counts)")
        .isBetween(ofMillis(1000), ofMillis(2800));

    long revoked = System.nanoTime();
    RunningProcess revoke = processes.run("etcdctl-revoke",
        Command.etcdctl(etcd.endpoints(), "lease", "revoke", Long.toHexString(lease)), ofSeconds(15));
    assertThat(revoke.exitCode()).as("etcdctl lease revoke; stdout %s stderr %s", revoke.stdoutText(), revoke.stderrText()).isZero();
    long back = probe.awaitPresentWithNewLease(key, lease, ofSeconds(10));
    Line recreated = agent.awaitLineAfter(renewed, regex(LEASE_CREATED.pattern()), ofSeconds(5));

    Duration reRegistered = Timing.report("lease revoked (right after a renewal, TTL 5 s) -> key back with a new lease",
        Timing.between(revoked, back), NOTICE_BOUND);
    Timing.report("lease revoked -> new [Heartbeat] Lease created", recreated.since(revoked), NOTICE_BOUND);
    Timing.report("new [Heartbeat] Lease created -> key back", Timing.between(recreated.nanos(), back), ofSeconds(1));
    assertThat(leaseId(recreated)).as("a new lease").isNotEqualTo(lease);
    assertThat(probe.get(key)).hasValueSatisfying(kv -> assertThat(kv.getLease()).isEqualTo(leaseId(recreated)));
    assertThat(reRegistered).as("revoke -> key back in etcd by the next renewal").isLessThanOrEqualTo(NOTICE_BOUND);
    assertThat(Timing.between(recreated.nanos(), back)).as("new lease -> key back").isLessThanOrEqualTo(ofSeconds(1));
  }

  @Test
  @Tag("fault")
  void anAgentFrozenLongerThanItsTtlRegistersAgainWhenResumedAndTheMonitorSeesDeadThenAlive() {
    String node = Nodes.unique("frozen");
    String key = "/monitor/heartbeat/" + node;
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    RunningProcess agent = processes.start(node,
        Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints(), "--ttl", "2"));
    Line created = agent.awaitLine(regex(LEASE_CREATED.pattern()), START);
    assertThat(ttl(created)).as("etcd keeps a 2 s TTL with the test cluster's election timeout").isEqualTo(2);
    Line alive = monitor.awaitLine(regex(LabScenarioIT.aliveLine(node)), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());

    long stopped = agent.signal("STOP");
    long gone = probe.awaitAbsent(key, ofSeconds(10));
    Line dead = monitor.awaitLineAfter(alive, exact("[-] Node " + node + " DEAD (lease expired)"), ofSeconds(10));
    long resumed = agent.signal("CONT");
    long back = probe.awaitPresentWithNewLease(key, leaseId(created), ofSeconds(10));
    Line recreated = agent.awaitLineAfter(created, regex(LEASE_CREATED.pattern()), ofSeconds(5));
    Line aliveAgain = monitor.awaitLineAfter(dead, regex(LabScenarioIT.aliveLine(node)), ofSeconds(5));

    System.out.println("[e2e timing] frozen for " + Timing.seconds(Timing.between(stopped, resumed))
        + " (key gone " + Timing.seconds(Timing.between(stopped, gone)) + " after SIGSTOP)");
    Duration reRegistered = Timing.report("SIGCONT -> key back with a new lease (TTL 2 s)", Timing.between(resumed, back), ofSeconds(2));
    Timing.report("SIGCONT -> monitor prints ALIVE again", aliveAgain.since(resumed), ofSeconds(2));
    assertThat(recreated.nanos()).as("the new lease comes after SIGCONT").isGreaterThan(resumed);
    assertThat(reRegistered).as("SIGCONT -> registered again").isLessThanOrEqualTo(ofSeconds(2));
    assertThat(monitor.stdoutText().subList(alive.index(), aliveAgain.index() + 1))
        .as("the monitor reports the node once DEAD, then once ALIVE")
        .filteredOn(l -> l.startsWith("[+] Node " + node + " ") || l.startsWith("[-] Node " + node + " "))
        .hasSize(3)
        .element(1).isEqualTo(dead.text());
    assertThat(agent.isAlive()).isTrue();
  }

  @Test
  void aDeletedHeartbeatKeyComesBack() {
    String node = Nodes.unique("deleted");
    String key = "/monitor/heartbeat/" + node;
    RunningProcess agent = processes.start(node, Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints()));
    Line first = agent.awaitLine(exact("[Heartbeat] Sent for " + node), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());
    probe.awaitPresent(key, ofSeconds(3));
    Line renewed = agent.awaitLineAfter(first, exact("[Heartbeat] Sent for " + node), ofSeconds(10));

    long deleted = System.nanoTime();
    RunningProcess del = processes.run("etcdctl-del", Command.etcdctl(etcd.endpoints(), "del", key), ofSeconds(15));
    assertThat(del.exitCode()).as("etcdctl del; stderr %s", del.stderrText()).isZero();
    assertThat(del.stdoutText()).as("etcdctl del deleted one key").containsExactly("1");
    long back = probe.awaitPresent(key, ofSeconds(10));
    Line sent = agent.awaitLineAfter(renewed, prefix("[Heartbeat] "), ofSeconds(5));

    Duration reRegistered = Timing.report("etcdctl del (right after a refresh, TTL 5 s) -> key back",
        Timing.between(deleted, back), NOTICE_BOUND);
    assertThat(reRegistered).as("del -> key back by the next refresh").isLessThanOrEqualTo(NOTICE_BOUND);
    assertThat(sent.nanos()).isGreaterThan(deleted);
    assertThat(probe.value(key)).hasValueSatisfying(v -> assertThat(v).contains("\"status\": \"alive\""));
  }

  private static long leaseId(Line created) {
    return Long.parseLong(matcher(created).group(2));
  }

  private static int ttl(Line created) {
    return Integer.parseInt(matcher(created).group(1));
  }

  private static Matcher matcher(Line line) {
    Matcher m = LEASE_CREATED.matcher(line.text());
    assertThat(m.matches()).as("a Lease created line: %s", line.text()).isTrue();
    return m;
  }
}
