package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.EtcdCluster;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MassVanishTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  @Test
  void saysAPartitionIsLikelyBeforeReportingMostNodesDeadAtOnce() throws Exception {
    ops.beat("mv-survivor", 60);
    long shared = ops.grant(60);
    for (String node : new String[] {"mv-a", "mv-b", "mv-c"}) {
      ops.put(heartbeatKey(node), alive(node), shared);
    }
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 4");
      int before = run.lines().size();
      // One revocation deletes the three keys in one revision: one observation.
      ops.revoke(shared);
      run.awaitLine("[Status] Total alive: 1");
      assertThat(run.linesFrom(before)).startsWith(
          "[Monitor] 3 of 4 nodes vanished at once: a network partition between them and etcd is more likely than 3 deaths",
          "[-] Node mv-a DEAD (lease expired)");
    }
  }

  @Test
  void aSingleDeathIsJustADeath() throws Exception {
    long lease = ops.beat("mv-one", 60);
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 1");
      ops.revoke(lease);
      run.awaitLine("[Status] Total alive: 0");
      assertThat(run.lines()).noneMatch(l -> l.contains("vanished"));
    }
  }
}
