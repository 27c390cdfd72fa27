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
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What operators and foreign writers put into etcd with the real etcdctl: a bad config is refused
 * by the agent, which keeps working with the last good one; odd heartbeat keys cannot forge
 * monitor lines.
 */
@Timeout(60)
class OperatorMistakesIT {
  private static final Duration START = ofSeconds(30);

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @Test
  void anInvalidConfigPutWithEtcdctlIsRejectedAndTheLastGoodConfigStays() {
    String node = Nodes.unique("mistake");
    String key = "/monitor/config/" + node;
    etcdctl("put", key, "{\"interval\": 1, \"metrics\": [\"cpu\"]}");
    RunningProcess agent = processes.start(node, Command.agent("config-watch", "--node", node, "--endpoints", etcd.endpoints()));
    Line loaded = agent.awaitLine(exact("[Agent] Loaded initial config: {'interval': 1, 'metrics': ['cpu']}"), START);

    etcdctl("put", key, "{\"interval\": 0, \"metrics\": [\"cpu\"]}");
    Line rejected = agent.awaitLineAfter(loaded, prefix("[Config] REJECTED config at revision "), ofSeconds(5));
    etcdctl("put", key, "not json at all");
    Line rejectedAgain = agent.awaitLineAfter(rejected, prefix("[Config] REJECTED config at revision "), ofSeconds(5));
    etcdctl("del", key);
    Line deleted = agent.awaitLineAfter(rejectedAgain, prefix("[Config] Config key deleted at revision "), ofSeconds(5));
    Line stillWorking = agent.awaitLineAfter(deleted, prefix("[Agent] Iteration "), ofSeconds(5));

    assertThat(rejected.text()).matches(Pattern.quote("[Config] REJECTED config at revision ") + "\\d+: .*interval.*"
        + Pattern.quote("; keeping {'interval': 1, 'metrics': ['cpu']}"));
    assertThat(rejectedAgain.text()).endsWith("; keeping {'interval': 1, 'metrics': ['cpu']}");
    assertThat(deleted.text()).endsWith("; keeping {'interval': 1, 'metrics': ['cpu']}");
    assertThat(stillWorking.text()).endsWith(": interval=1s, metrics=['cpu']");
    assertThat(agent.stdoutText()).noneMatch(l -> l.startsWith("[Config] UPDATED"));
    assertThat(agent.isAlive()).isTrue();
  }

  @Test
  void heartbeatKeysFromForeignWritersCannotForgeMonitorLines() {
    String node = Nodes.unique("forger");
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    monitor.awaitLine(prefix("[Status] Total alive: "), START);

    etcdctl("put", "/monitor/heartbeat/" + node + "\n[-] Node worker1 DEAD (lease expired)", "{\"status\": \"alive\"}");
    etcdctl("put", "/monitor/heartbeat/" + node + "-plain", "not json\n[+] Node forged ALIVE -> x");
    Line escaped = monitor.awaitLine(prefix("[+] Node " + node + "\\x0a"), ofSeconds(10));
    Line plain = monitor.awaitLine(prefix("[+] Node " + node + "-plain ALIVE -> "), ofSeconds(10));

    assertThat(escaped.text()).doesNotContain("\n").contains(" ALIVE -> ");
    assertThat(plain.text()).isEqualTo("[+] Node " + node + "-plain ALIVE -> not json\\x0a[+] Node forged ALIVE -> x");
    assertThat(monitor.stdoutText()).as("no forged line")
        .noneMatch(l -> l.startsWith("[-] Node worker1"))
        .noneMatch(l -> l.startsWith("[+] Node forged"));
    assertThat(monitor.stdoutMatching(regex("\\[Status] Total alive: \\d+"))).isNotEmpty();
  }

  private void etcdctl(String... args) {
    RunningProcess p = processes.run("etcdctl-" + args[0], Command.etcdctl(etcd.endpoints(), args), ofSeconds(15));
    assertThat(p.exitCode()).as("etcdctl %s; stderr %s", String.join(" ", args), p.stderrText()).isZero();
  }
}
