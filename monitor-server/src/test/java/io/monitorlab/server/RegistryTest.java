package io.monitorlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Nodes that died while no monitor watched are reported when one starts; forget stops that. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  @Test
  void reportsARegisteredNodeWithoutAHeartbeatAsDeadAtStartButNotOneThatLeft() throws Exception {
    ops.put(Keys.registration("rg-died"), Registration.active("rg-died", Instant.now()).toJson(), 0);
    ops.put(Keys.registration("rg-left"), Registration.left("rg-left", Instant.now()).toJson(), 0);
    ops.put(Keys.registration("rg-alive"), Registration.active("rg-alive", Instant.now()).toJson(), 0);
    ops.beat("rg-alive", 30);
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 1");
      assertThat(run.linesFrom(4)).containsExactly(
          "[+] Node rg-alive ALIVE -> " + EtcdOps.alive("rg-alive"),
          "[-] Node rg-died DEAD (registered but no heartbeat key)",
          "[Status] Currently ALIVE nodes: ['rg-alive']",
          "[Status] Total alive: 1");
    }
  }

  @Test
  void aForgottenNodeIsNoLongerReported() throws Exception {
    ops.put(Keys.registration("rg-gone"), Registration.active("rg-gone", Instant.now()).toJson(), 0);
    CommandRun forget = CommandRun.of("forget", "rg-gone", "--endpoints", etcd.endpoints());
    assertThat(forget.exit()).isZero();
    assertThat(forget.out()).containsExactly("[Monitor] Forgot node rg-gone: its absence is no longer reported");
    assertThat(ops.get(Keys.registration("rg-gone"))).isEmpty();
    CommandRun again = CommandRun.of("forget", "rg-gone", "--endpoints", etcd.endpoints());
    assertThat(again.out()).containsExactly("[Monitor] Node rg-gone was not registered; nothing to forget");
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 0");
      assertThat(run.lines()).noneMatch(l -> l.contains("rg-gone"));
    }
  }

  @Test
  void forgetRefusesABadNodeName() {
    CommandRun run = CommandRun.of("forget", "a/b", "--endpoints", etcd.endpoints());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().startsWith("monitor-server forget: NODE: invalid node name");
  }
}
