package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.EtcdEndpoints;
import java.time.Duration;
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
    Lines out = new Lines();
    List<Throwable> crashes = new CopyOnWriteArrayList<>();
    Agent agent = new Agent(new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings("close-frozen-" + ProcessHandle.current().pid(), Duration.ofSeconds(5))),
        Agent.Parts.BOTH, new AgentPrinter(out.writer()), crashes::add);
    agent.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> out.all().stream().anyMatch(l -> l.startsWith("[Heartbeat] Sent for")));
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
