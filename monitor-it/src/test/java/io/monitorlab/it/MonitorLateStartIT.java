package io.monitorlab.it;

import static io.monitorlab.it.support.Match.exact;
import static io.monitorlab.it.support.Match.prefix;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A monitor started after the agents learns the alive set from its initial listing. */
@Timeout(60)
class MonitorLateStartIT {
  private static final Duration START = ofSeconds(30);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void aMonitorStartedAfterTheAgentsReportsThemAliveAtStart() {
    String base = Nodes.unique("late");
    String a = base + "-a";
    String b = base + "-b";
    // A long TTL: no refresh happens while the monitor starts, so only its initial listing can find them.
    RunningProcess agentA = processes.start(a, Command.agent("heartbeat", "--node", a, "--endpoints", etcd.endpoints(), "--ttl", "120"));
    RunningProcess agentB = processes.start(b, Command.agent("heartbeat", "--node", b, "--endpoints", etcd.endpoints(), "--ttl", "120"));
    agentA.awaitLine(exact("[Heartbeat] Sent for " + a), START);
    agentB.awaitLine(exact("[Heartbeat] Sent for " + b), START);
    EtcdProbe probe = new EtcdProbe(etcd.client());
    String valueA = probe.value("/monitor/heartbeat/" + a).orElseThrow();
    String valueB = probe.value("/monitor/heartbeat/" + b).orElseThrow();

    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    Line aliveA = monitor.awaitLine(exact("[+] Node " + a + " ALIVE -> " + valueA), START);
    Line aliveB = monitor.awaitLine(exact("[+] Node " + b + " ALIVE -> " + valueB), START);
    Line both = monitor.awaitLine(exact("[Status] Currently ALIVE nodes: ['" + a + "', '" + b + "']"), ofSeconds(5));

    assertThat(monitor.stdoutText().subList(0, 3)).containsExactly(
        "[Monitor] Starting heartbeat monitor...",
        "[Monitor] Watching prefix: /monitor/heartbeat/",
        "[Monitor] etcd endpoint: " + etcd.endpoints());
    assertThat(aliveA.index()).as("node order").isLessThan(aliveB.index());
    assertThat(monitor.awaitLineAfter(both, prefix("[Status] Total alive: "), ofSeconds(5)).text())
        .isEqualTo("[Status] Total alive: 2");
    assertThat(monitor.stdoutText()).as("no status before the listing claims an empty fleet")
        .doesNotContain("[Status] Currently ALIVE nodes: []");
    assertThat(probe.value("/monitor/heartbeat/" + a)).as("no refresh happened meanwhile").hasValue(valueA);
  }

  @Test
  void theMonitorRepeatsTheStatusPairEveryPeriod() {
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints(), "--status-every", "1"));
    Line first = monitor.awaitLine(prefix("[Status] Total alive: "), START);
    // Well after the start-up listing (which prints a pair per node found): only periodic pairs now.
    Line later = monitor.awaitLineSince(first.nanos() + ofMillis(1500).toNanos(), prefix("[Status] Total alive: "), ofSeconds(5));
    Line previous = monitor.stdoutMatching(prefix("[Status] Total alive: ")).stream()
        .filter(l -> l.index() < later.index()).reduce((a, b) -> b).orElseThrow();

    assertThat(Timing.report("--status-every 1: period", Timing.between(previous.nanos(), later.nanos()), ofMillis(1300)))
        .as("period").isBetween(ofMillis(800), ofMillis(1300));
    assertThat(monitor.stdoutText().get(later.index() - 1)).as("a pair").startsWith("[Status] Currently ALIVE nodes: [");
  }

  @Test
  void aMonitorStartedAfterAnAgentLeftDoesNotReportIt() {
    String node = Nodes.unique("gone");
    RunningProcess agent = processes.start(node, Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints()));
    agent.awaitLine(exact("[Heartbeat] Sent for " + node), START);
    agent.signal("TERM");
    assertThat(agent.awaitExit(ofSeconds(10))).isZero();
    new EtcdProbe(etcd.client()).awaitAbsent("/monitor/heartbeat/" + node, ofSeconds(3));

    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    monitor.awaitLine(prefix("[Status] Total alive: "), START);

    assertThat(monitor.stdoutText()).as("a node that left before the monitor started is not mentioned")
        .noneMatch(l -> l.contains(node));
  }
}
