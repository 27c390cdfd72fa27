package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.kv.GetResponse;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Json;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The agent's metrics and status keys against real etcd: what they hold, and that they go with the lease. */
@Timeout(60)
class AgentPublishTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  private static final AtomicInteger ids = new AtomicInteger();

  private final String node = "pub-" + ids.incrementAndGet() + "-" + ProcessHandle.current().pid();
  private final Lines out = new Lines();
  private final List<Throwable> crashes = new CopyOnWriteArrayList<>();
  private Agent agent;

  private void start() {
    start(Agent.Parts.BOTH);
  }

  private void start(Agent.Parts parts) {
    AgentSettings settings = new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings(node, Duration.ofSeconds(3)));
    agent = new Agent(settings, parts, new AgentPrinter(out.writer()), crashes::add);
    agent.start();
  }

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
    assertThat(crashes).isEmpty();
  }

  private Optional<String> value(String key) throws Exception {
    GetResponse got = etcd.client().getKVClient().get(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS);
    return got.getKvs().isEmpty() ? Optional.empty() : Optional.of(EtcdClients.text(got.getKvs().get(0).getValue()));
  }

  private long lease(String key) throws Exception {
    return etcd.client().getKVClient().get(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS).getKvs().get(0).getLease();
  }

  private long put(String key, String value) throws Exception {
    return etcd.client().getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value))
        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
  }

  private AgentStatus status() throws Exception {
    return AgentStatus.parse(value(Keys.status(node)).orElse("")).orElseThrow();
  }

  @Test
  void theMetricsKeyHoldsTheConfiguredMetricsUnderTheHeartbeatsLease() throws Exception {
    put(Keys.config(node), "{\"interval\": 0.5, \"metrics\": [\"memory\", \"load\"]}");
    start();

    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.metrics(node)).isPresent());
    JsonNode m = Json.parse(value(Keys.metrics(node)).orElseThrow());
    assertThat(m.fieldNames()).toIterable().containsExactly("ts", "memory", "load");
    assertThat(m.get("memory").get("total_bytes").asLong()).isPositive();
    assertThat(lease(Keys.metrics(node))).isEqualTo(lease(Keys.heartbeat(node))).isNotZero();
    assertThat(lease(Keys.status(node))).isEqualTo(lease(Keys.heartbeat(node)));
    assertThat(out.all()).anyMatch(l -> l.startsWith("[Metrics] memory="));
  }

  @Test
  void statusSaysWhichRevisionIsAppliedAndWhichWasRejectedAndWhy() throws Exception {
    long first = put(Keys.config(node), "{\"interval\": 5, \"metrics\": [\"cpu\"]}");
    start();
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.status(node)).isPresent()
        && status().configRevision() == first);
    AgentStatus s = status();
    assertThat(s.heartbeatMode()).isEqualTo("refresh");
    assertThat(s.rejectedRevision()).isNull();

    long bad = put(Keys.config(node), "{\"interval\": -1, \"metrics\": [\"cpu\"]}");
    await().atMost(Duration.ofSeconds(10)).until(() -> Long.valueOf(bad).equals(status().rejectedRevision()));
    assertThat(status().configRevision()).as("the last good config stays in force").isEqualTo(first);
    assertThat(status().rejectedReason()).contains("interval");

    long good = put(Keys.config(node), "{\"interval\": 4, \"metrics\": []}");
    await().atMost(Duration.ofSeconds(10)).until(() -> status().configRevision() == good);
    assertThat(status().rejectedRevision()).isNull();
  }

  @Test
  void bothKeysVanishWithTheLeaseAndComeBackUnderTheNewOne() throws Exception {
    start();
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.metrics(node)).isPresent()
        && value(Keys.status(node)).isPresent());
    long old = lease(Keys.metrics(node));

    etcd.client().getLeaseClient().revoke(old).get(5, TimeUnit.SECONDS);
    assertThat(value(Keys.metrics(node))).as("gone with the lease").isEmpty();
    assertThat(value(Keys.status(node))).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.status(node)).isPresent()
        && value(Keys.metrics(node)).isPresent() && lease(Keys.metrics(node)) != old);
    assertThat(lease(Keys.status(node))).isEqualTo(lease(Keys.heartbeat(node)));
  }

  @Test
  void aGracefulStopTakesBothKeysAway() throws Exception {
    start();
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.metrics(node)).isPresent());

    agent.close();

    assertThat(value(Keys.metrics(node))).isEmpty();
    assertThat(value(Keys.status(node))).isEmpty();
  }

  @Test
  void withoutItsHeartbeatPartTheAgentBindsBothKeysToALeaseOfItsOwn() throws Exception {
    put(Keys.config(node), "{\"interval\": 0.5, \"metrics\": [\"load\"]}");
    start(Agent.Parts.CONFIG);
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.metrics(node)).isPresent()
        && value(Keys.status(node)).isPresent());
    long own = lease(Keys.metrics(node));
    assertThat(own).isNotZero();
    assertThat(lease(Keys.status(node))).isEqualTo(own);
    assertThat(value(Keys.heartbeat(node))).as("no heartbeat part").isEmpty();
    assertThat(Json.parse(value(Keys.metrics(node)).orElseThrow()).fieldNames()).toIterable().containsExactly("ts", "load");

    etcd.client().getLeaseClient().revoke(own).get(5, TimeUnit.SECONDS);
    assertThat(value(Keys.metrics(node))).as("gone with the lease").isEmpty();
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.status(node)).isPresent()
        && value(Keys.metrics(node)).isPresent() && lease(Keys.status(node)) != own);

    agent.close();
    assertThat(value(Keys.metrics(node))).as("revoked on a graceful stop").isEmpty();
    assertThat(value(Keys.status(node))).isEmpty();
  }

  @Test
  void theHeartbeatOnlyAgentPublishesNeitherMetricsNorStatus() throws Exception {
    start(Agent.Parts.HEARTBEAT);
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.heartbeat(node)).isPresent());
    // Sentinel: the heartbeat's next refresh comes after anything published at start.
    long seen = etcd.client().getKVClient().get(EtcdClients.bytes(Keys.heartbeat(node))).get(5, TimeUnit.SECONDS)
        .getKvs().get(0).getModRevision();
    await().atMost(Duration.ofSeconds(10)).until(() -> etcd.client().getKVClient().get(EtcdClients.bytes(Keys.heartbeat(node)))
        .get(5, TimeUnit.SECONDS).getKvs().get(0).getModRevision() > seen);
    assertThat(value(Keys.metrics(node))).isEmpty();
    assertThat(value(Keys.status(node))).isEmpty();
  }

  @Test
  void anAgentWhoseNodeNameIsTakenLeavesTheOwnersMetricsAndStatusAlone() throws Exception {
    put(Keys.config(node), "{\"interval\": 0.5, \"metrics\": [\"load\"]}");
    start();
    await().atMost(Duration.ofSeconds(10)).until(() -> value(Keys.metrics(node)).isPresent()
        && value(Keys.status(node)).isPresent());
    long owner = lease(Keys.heartbeat(node));
    Lines otherOut = new Lines();
    Agent other = new Agent(new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings(node, Duration.ofSeconds(3))), Agent.Parts.BOTH, new AgentPrinter(otherOut.writer()), crashes::add);
    other.start();
    try {
      await().atMost(Duration.ofSeconds(10)).until(() -> !otherOut.matching("[Heartbeat] CONFLICT").isEmpty()
          && otherOut.matching("[Metrics] load=").size() >= 2);
      // Sentinel: the owner's metrics were put twice more after the other agent collected its own.
      long seen = etcd.client().getKVClient().get(EtcdClients.bytes(Keys.metrics(node))).get(5, TimeUnit.SECONDS)
          .getKvs().get(0).getModRevision();
      await().atMost(Duration.ofSeconds(10)).until(() -> etcd.client().getKVClient().get(EtcdClients.bytes(Keys.metrics(node)))
          .get(5, TimeUnit.SECONDS).getKvs().get(0).getModRevision() > seen + 1);

      assertThat(lease(Keys.metrics(node))).isEqualTo(owner);
      assertThat(lease(Keys.status(node))).isEqualTo(owner);
    } finally {
      other.close();
    }
  }
}
