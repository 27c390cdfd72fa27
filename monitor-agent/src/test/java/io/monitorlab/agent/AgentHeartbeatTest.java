package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
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

@Timeout(60)
class AgentHeartbeatTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  private static final AtomicInteger ids = new AtomicInteger();

  private final String node = "hb-" + ids.incrementAndGet() + "-" + ProcessHandle.current().pid();
  private final String key = Keys.heartbeat(node);
  private final Lines out = new Lines();
  private final List<Throwable> crashes = new CopyOnWriteArrayList<>();
  private Agent agent;

  private Agent start(Duration ttl) {
    return start(new HeartbeatSettings(node, ttl));
  }

  private Agent start(HeartbeatSettings heartbeat) {
    AgentSettings settings = new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"), heartbeat);
    agent = new Agent(settings, Agent.Parts.HEARTBEAT, new AgentPrinter(out.writer()), crashes::add);
    agent.start();
    return agent;
  }

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
    assertThat(crashes).isEmpty();
  }

  private Optional<KeyValue> heartbeatKey() throws Exception {
    List<KeyValue> kvs = etcd.client().getKVClient().get(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
  }

  @Test
  void registersItsHeartbeatWithALeaseAndRefreshesItEveryHalfTtl() throws Exception {
    start(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    KeyValue first = heartbeatKey().orElseThrow();
    assertThat(first.getLease()).isNotZero();
    String value = EtcdClients.text(first.getValue());
    assertThat(value).matches("\\{\"status\": \"alive\", \"ts\": \\d+\\.\\d+, \"hostname\": \"" + node + "\"}");
    await().atMost(Duration.ofSeconds(4)).until(() -> heartbeatKey().map(kv -> kv.getModRevision() > first.getModRevision()).orElse(false));
    assertThat(heartbeatKey().orElseThrow().getLease()).isEqualTo(first.getLease());
    assertThat(out.all()).startsWith(
        "[Heartbeat] Lease created with TTL 2 seconds, ID: " + first.getLease(),
        "[Heartbeat] Node: " + node + ", Key: " + key,
        "[Heartbeat] Sent for " + node);
  }

  @Test
  void recordsItsNodeAsActiveAtStartAndAsLeftAfterAGracefulStop() throws Exception {
    start(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> registration().map(Registration::isActive).orElse(false));
    assertThat(registration()).hasValueSatisfying(r -> assertThat(r.hostname()).isEqualTo(node));
    agent.close();
    assertThat(registration()).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(Registration.LEFT));
  }

  private Optional<Registration> registration() throws Exception {
    List<KeyValue> kvs = etcd.client().getKVClient().get(EtcdClients.bytes(Keys.registration(node))).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Registration.parse(EtcdClients.text(kvs.get(0).getValue()));
  }

  @Test
  void keepsTheKeyAliveLongerThanTheTtl() throws Exception {
    start(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long lease = heartbeatKey().orElseThrow().getLease();
    await().atMost(Duration.ofSeconds(10)).until(() -> out.matching("[Heartbeat] Sent for").size() >= 5);
    assertThat(heartbeatKey()).hasValueSatisfying(kv -> assertThat(kv.getLease()).isEqualTo(lease));
  }

  @Test
  void inLeaseModeKeepsTheKeyAliveWithoutRewritingTheValue() throws Exception {
    start(new HeartbeatSettings(node, Duration.ofSeconds(2), HeartbeatSettings.Mode.LEASE));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    KeyValue first = heartbeatKey().orElseThrow();
    // Longer than the TTL: the lease is renewed, the value is not rewritten.
    await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6))
        .until(() -> heartbeatKey().map(kv -> kv.getModRevision() == first.getModRevision()).orElse(false));
    assertThat(out.matching("[Heartbeat] Sent for")).hasSize(1);
  }

  @Test
  void registersAgainByItselfAfterItsLeaseWasRevoked() throws Exception {
    start(Duration.ofSeconds(2));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long lease = heartbeatKey().orElseThrow().getLease();
    etcd.client().getLeaseClient().revoke(lease).get(5, TimeUnit.SECONDS);
    long revoked = System.nanoTime();
    await().atMost(Duration.ofSeconds(4)).until(() -> heartbeatKey().map(kv -> kv.getLease() != lease).orElse(false));
    // The agent watches its key: the revocation's delete wakes it, well before the next beat.
    assertThat((System.nanoTime() - revoked) / 1_000_000).as("re-registration delay in ms").isLessThan(2000);
    assertThat(out.matching("[Heartbeat] Lease created")).hasSize(2);
    assertThat(out.matching("[Heartbeat] Lease " + lease + " lost for " + node)).hasSize(1);
    assertThat(out.matching("[Heartbeat] Node:")).hasSize(1);
  }

  @Test
  void writesItsKeyAgainAtOnceAfterItWasDeleted() throws Exception {
    start(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long lease = heartbeatKey().orElseThrow().getLease();
    etcd.client().getKVClient().delete(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS);
    // Well before the next beat (TTL/2 = 2.5 s): the agent watches its own key.
    await().atMost(Duration.ofSeconds(1)).until(() -> heartbeatKey().isPresent());
    assertThat(heartbeatKey().orElseThrow().getLease()).isEqualTo(lease);
  }

  @Test
  void announcesLeavingThenRevokesItsLeaseOnClose() throws Exception {
    start(Duration.ofSeconds(5));
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long from = heartbeatKey().orElseThrow().getModRevision() + 1;
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    try (Watch.Watcher w = etcd.client().getWatchClient().watch(EtcdClients.bytes(key),
        WatchOption.builder().withRevision(from).build(), r -> events.addAll(r.getEvents()))) {
      long t0 = System.nanoTime();
      agent.close();
      assertThat((System.nanoTime() - t0) / 1_000_000).as("close in ms").isLessThan(2000);
      await().atMost(Duration.ofSeconds(3)).until(() -> events.stream().anyMatch(e -> e.getEventType() == WatchEvent.EventType.DELETE));
    }
    WatchEvent delete = events.get(events.size() - 1);
    WatchEvent leaving = events.get(events.size() - 2);
    assertThat(delete.getEventType()).isEqualTo(WatchEvent.EventType.DELETE);
    assertThat(Heartbeat.parse(EtcdClients.text(leaving.getKeyValue().getValue())))
        .hasValueSatisfying(hb -> assertThat(hb.isLeaving()).isTrue());
    assertThat(out.all()).last().isEqualTo("[Heartbeat] Leaving: " + node + " announced graceful shutdown");
  }
}
