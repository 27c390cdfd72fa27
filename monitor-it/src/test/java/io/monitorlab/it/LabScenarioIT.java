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
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Timing;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The lab's test scenario with the real jars, the real 5 s TTL and the real etcdctl: a monitor
 * and agents for worker1 and worker2. Each test gets a fresh etcd, so the lab's node names
 * (which the contract's console lines name) cannot collide between tests.
 */
@Timeout(90)
class LabScenarioIT {
  private static final Duration START = ofSeconds(30);
  private static final Duration TTL = ofSeconds(5);
  private static final String NEW_CONFIG = "{\"interval\": 2, \"metrics\": [\"cpu\", \"memory\"]}";
  private static final String DEFAULT_REPR = "{'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}";

  @RegisterExtension final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void aConfigPutWithEtcdctlIsAppliedAtOnceAndTheNextIterationUsesTheNewInterval() {
    setUpLabConfig();
    RunningProcess worker1 = agent("worker1");
    RunningProcess worker2 = agent("worker2");
    worker1.awaitLine(exact("[Agent] Loaded initial config: " + DEFAULT_REPR), START);
    worker1.awaitLine(exact("[Agent] Iteration 1: interval=10s, metrics=['cpu', 'memory', 'disk']"), START);
    worker2.awaitLine(exact("[Agent] Iteration 1: interval=10s, metrics=['cpu', 'memory', 'disk']"), START);

    long beforePut = System.nanoTime();
    RunningProcess put = processes.run("etcdctl-put",
        Command.etcdctl(etcd.endpoints(), "put", "/monitor/config/worker1", NEW_CONFIG), ofSeconds(15));
    assertThat(put.exitCode()).as("etcdctl put exit code; stderr %s", put.stderrText()).isZero();

    Line updated = worker1.awaitLineSince(beforePut,
        exact("[Config] UPDATED config from etcd: {'interval': 2, 'metrics': ['cpu', 'memory']}"), ofSeconds(10));
    Line next = worker1.awaitLineAfter(updated, prefix("[Agent] Iteration "), ofSeconds(10));
    Line after = worker1.awaitLineAfter(next, prefix("[Agent] Iteration "), ofSeconds(10));

    Duration toUpdated = Timing.report("etcdctl put -> [Config] UPDATED", updated.since(beforePut), ofSeconds(1));
    Duration toNext = Timing.report("etcdctl put -> next iteration (interval 10 s -> 2 s)",
        next.since(beforePut), ofMillis(2500));
    Duration gap = Timing.report("iteration gap at interval=2", Timing.between(next.nanos(), after.nanos()), ofMillis(2600));
    assertThat(toUpdated).as("put -> UPDATED").isLessThanOrEqualTo(ofSeconds(1));
    assertThat(next.text()).matches(Pattern.quote("[Agent] Iteration ") + "\\d+"
        + Pattern.quote(": interval=2s, metrics=['cpu', 'memory']"));
    assertThat(toNext).as("the next iteration comes within the new interval (2 s) of the put, not the old 10 s")
        .isLessThanOrEqualTo(ofMillis(2500));
    assertThat(gap).as("iterations then follow the 2 s interval").isBetween(ofMillis(1800), ofMillis(2600));
    assertThat(after.text()).endsWith(": interval=2s, metrics=['cpu', 'memory']");

    assertThat(worker2.stdoutText()).as("worker2 is not affected by worker1's config")
        .noneMatch(l -> l.startsWith("[Config]"))
        .filteredOn(l -> l.startsWith("[Agent] Iteration "))
        .allMatch(l -> l.endsWith(": interval=10s, metrics=['cpu', 'memory', 'disk']"));
  }

  @Test
  void aKilledAgentIsReportedDeadWithinTheTtlAndTheStatusListsOnlyTheSurvivor() {
    RunningProcess monitor = monitor();
    RunningProcess worker1 = agent("worker1");
    RunningProcess worker2 = agent("worker2");
    monitor.awaitLine(regex(aliveLine("worker1")), START);
    monitor.awaitLine(regex(aliveLine("worker2")), START);
    worker1.awaitLine(exact("[Heartbeat] Sent for worker1"), START);

    long killed = worker1.signal("KILL");
    Line dead = monitor.awaitLine(exact("[-] Node worker1 DEAD (lease expired)"), ofSeconds(15));
    Line status = monitor.awaitLineAfter(dead, prefix("[Status] Currently ALIVE nodes: "), ofSeconds(5));

    Duration toDead = Timing.report("kill -9 worker1 -> [-] DEAD", dead.since(killed), TTL.plusSeconds(1));
    assertThat(toDead).as("kill -9 -> DEAD within TTL + 1 s").isLessThanOrEqualTo(TTL.plusSeconds(1));
    assertThat(status.index()).as("the status line follows the DEAD line").isEqualTo(dead.index() + 1);
    assertThat(status.text()).isEqualTo("[Status] Currently ALIVE nodes: ['worker2']");
    assertThat(monitor.awaitLineAfter(status, prefix("[Status] Total alive: "), ofSeconds(5)).text())
        .isEqualTo("[Status] Total alive: 1");
    assertThat(worker2.isAlive()).isTrue();
  }

  @Test
  void anAgentStoppedWithSigtermIsReportedLeftAtOnceAndExitsZero() {
    RunningProcess monitor = monitor();
    RunningProcess worker2 = agent("worker2");
    monitor.awaitLine(regex(aliveLine("worker2")), START);
    worker2.awaitLine(exact("[Heartbeat] Sent for worker2"), START);

    long termed = worker2.signal("TERM");
    Line left = monitor.awaitLine(exact("[-] Node worker2 LEFT (graceful shutdown)"), ofSeconds(10));
    int code = worker2.awaitExit(ofSeconds(10));
    long exited = worker2.exitedNanos();

    Duration toLeft = Timing.report("SIGTERM worker2 -> [-] LEFT", left.since(termed), ofSeconds(1));
    Duration toExit = Timing.report("SIGTERM worker2 -> process exit", Timing.between(termed, exited), ofSeconds(2));
    assertThat(toLeft).as("SIGTERM -> LEFT").isLessThanOrEqualTo(ofSeconds(1));
    assertThat(code).as("exit code after SIGTERM").isZero();
    assertThat(toExit).as("SIGTERM -> exit").isLessThanOrEqualTo(ofSeconds(2));
    assertThat(monitor.awaitLineAfter(left, prefix("[Status] Currently ALIVE nodes: "), ofSeconds(5)).text())
        .isEqualTo("[Status] Currently ALIVE nodes: []");
    new EtcdProbe(etcd.client()).awaitAbsent("/monitor/heartbeat/worker2", ofSeconds(3));
    assertThat(monitor.stdoutText()).as("a graceful stop is not a death").doesNotContain("[-] Node worker2 DEAD (lease expired)");
  }

  /** What the lab's setup_config.sh does, through the server's operator command. */
  private void setUpLabConfig() {
    RunningProcess init = processes.run("config-init", Command.server("config", "init", "--endpoints", etcd.endpoints()), START);
    assertThat(init.exitCode()).as("config init exit code; stderr %s", init.stderrText()).isZero();
  }

  private RunningProcess agent(String node) {
    return processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));
  }

  private RunningProcess monitor() {
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    monitor.awaitLine(exact("[Status] Total alive: 0"), START);
    return monitor;
  }

  static String aliveLine(String node) {
    return Pattern.quote("[+] Node " + node + " ALIVE -> {\"status\": \"alive\", \"ts\": ")
        + "\\d+\\.\\d+" + Pattern.quote(", \"hostname\": \"" + node + "\"}");
  }
}
