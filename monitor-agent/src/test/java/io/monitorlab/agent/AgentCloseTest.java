package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.monitorlab.common.test.EtcdCluster;

/** The agent's one shutdown deadline holds for the sum of its steps, even when etcd answers nothing. */
@Timeout(60)
class AgentCloseTest {
  @RegisterExtension final EtcdCluster etcd = EtcdCluster.single();

  @Test
  @Tag("fault")
  void closeReturnsWithinTwoSecondsWhileEtcdIsFrozen() {
    closesInTimeWhileEtcdIsFrozen(Agent.Parts.BOTH);
  }

  @Test
  @Tag("fault")
  void closeOfAConfigOnlyAgentWithItsOwnLeaseReturnsWithinTwoSecondsWhileEtcdIsFrozen() {
    closesInTimeWhileEtcdIsFrozen(Agent.Parts.CONFIG);
  }

  /** Closes once the agent holds a lease with keys bound to it (its status key is there), so there is a lease to revoke. */
  private void closesInTimeWhileEtcdIsFrozen(Agent.Parts parts) {
    Lines out = new Lines();
    List<Throwable> crashes = new CopyOnWriteArrayList<>();
    String node = "close-frozen-" + parts.name().toLowerCase(java.util.Locale.ROOT) + "-" + ProcessHandle.current().pid();
    Agent agent = new Agent(new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings(node, Duration.ofSeconds(5))), parts, new AgentPrinter(out.writer()), crashes::add);
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !etcd.client().getKVClient()
        .get(EtcdClients.bytes(Keys.status(node))).get(5, TimeUnit.SECONDS).getKvs().isEmpty());
    etcd.pause(0);
    try {
      long t0 = System.nanoTime();
      agent.close();
      Duration took = Duration.ofNanos(System.nanoTime() - t0);

      assertThat(took).as("close() with etcd frozen").isLessThanOrEqualTo(Agent.CLOSE_WITHIN.plusMillis(150));
      assertThat(crashes).isEmpty();
    } finally {
      etcd.resume(0);
    }
  }
}
