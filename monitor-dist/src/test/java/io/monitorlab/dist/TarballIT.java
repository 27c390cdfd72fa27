package io.monitorlab.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.EtcdCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The tarball unpacked into a folder: bin/setup, then its wrappers run an agent and a monitor against etcd. */
@Timeout(90)
class TarballIT {
  private static final Duration UP = Duration.ofSeconds(30);

  @RegisterExtension
  static final EtcdCluster ETCD = EtcdCluster.single();

  @TempDir
  Path tmp;

  @Test
  void theUnpackedWrappersRunAnAgentTheMonitorSeesAliveThenLeftAfterSigterm() {
    Proc.ok(Duration.ofSeconds(30), "tar", "-xzf", Dist.tarball().toString(), "-C", tmp.toString());
    Path home = tmp.resolve("etcd-monitor-" + Dist.VERSION);
    Proc.ok(Duration.ofSeconds(60), home.resolve("bin/setup").toString());
    assertThat(home.resolve("var/agent-host.jvm")).isRegularFile();
    assertThat(home.resolve("var/agent-tls-host.jvm")).isRegularFile();

    try (Proc monitor = Proc.start(Map.of("ETCD_ENDPOINTS", ETCD.endpoints(), "MONITOR_HTTP", "127.0.0.1:0"),
            home.resolve("bin/monitor-server").toString());
        Proc agent = Proc.start(Map.of("ETCD_ENDPOINTS", ETCD.endpoints(), "NODE_NAME", "tarball-node"),
            home.resolve("bin/monitor-agent").toString())) {
      monitor.awaitLine("[+] Node tarball-node ALIVE", UP);
      agent.terminate();
      monitor.awaitLine("[-] Node tarball-node LEFT", Duration.ofSeconds(10));
      agent.awaitExit(Duration.ofSeconds(10));
      assertThat(agent.output()).doesNotContain("[cds]");
    }
  }
}
