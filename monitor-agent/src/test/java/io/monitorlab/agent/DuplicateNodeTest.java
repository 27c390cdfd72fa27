package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two claimants of one node name: reported loudly, the key never flip-flops between them. */
@Timeout(60)
class DuplicateNodeTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  private static final AtomicInteger ids = new AtomicInteger();

  private final String node = "dup-" + ids.incrementAndGet() + "-" + ProcessHandle.current().pid();
  private final String key = Keys.heartbeat(node);
  private final List<Agent> agents = new ArrayList<>();
  private final List<Throwable> crashes = new CopyOnWriteArrayList<>();

  private Agent start(Lines out) {
    AgentSettings settings = new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings(node, Duration.ofSeconds(2)));
    Agent agent = new Agent(settings, Agent.Parts.HEARTBEAT, new AgentPrinter(out.writer()), crashes::add);
    agents.add(agent);
    agent.start();
    return agent;
  }

  @AfterEach
  void close() {
    agents.forEach(Agent::close);
    assertThat(crashes).isEmpty();
  }

  private Optional<KeyValue> heartbeatKey() throws Exception {
    List<KeyValue> kvs = etcd.client().getKVClient().get(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS).getKvs();
    return kvs.isEmpty() ? Optional.empty() : Optional.of(kvs.get(0));
  }

  @Test
  void aSecondAgentWithTheSameNameReportsTheConflictAndNeverOverwritesTheKey() throws Exception {
    Lines first = new Lines();
    start(first);
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long owner = heartbeatKey().orElseThrow().getLease();
    Lines second = new Lines();
    start(second);
    await().atMost(Duration.ofSeconds(5)).until(() -> !second.matching("[Heartbeat] CONFLICT: node " + node).isEmpty());
    assertThat(second.matching("[Heartbeat] CONFLICT")).singleElement().asString()
        .contains("is already registered by another agent (lease " + owner + ", value {\"status\": \"alive\"")
        .endsWith("not overwriting it, waiting for it to go");
    // Several beats of both agents later the key still belongs to the first one.
    int beats = first.matching("[Heartbeat] Sent for").size();
    await().atMost(Duration.ofSeconds(5)).until(() -> first.matching("[Heartbeat] Sent for").size() >= beats + 2);
    assertThat(heartbeatKey()).hasValueSatisfying(kv -> assertThat(kv.getLease()).isEqualTo(owner));
    assertThat(second.matching("[Heartbeat] Sent for")).isEmpty();
    assertThat(second.matching("[Heartbeat] CONFLICT")).hasSize(1);
  }

  @Test
  void theSecondAgentTakesOverAtOnceWhenTheFirstLeaves() throws Exception {
    Agent firstAgent = start(new Lines());
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    long owner = heartbeatKey().orElseThrow().getLease();
    Lines second = new Lines();
    start(second);
    await().atMost(Duration.ofSeconds(5)).until(() -> !second.matching("[Heartbeat] CONFLICT").isEmpty());
    firstAgent.close();
    await().atMost(Duration.ofSeconds(1)).until(() -> heartbeatKey().map(kv -> kv.getLease() != owner).orElse(false));
    assertThat(second.matching("[Heartbeat] Sent for")).isNotEmpty();
  }

  @Test
  void aForeignWriterThatOverwritesTheKeyIsReportedAndNotFoughtOver() throws Exception {
    Lines out = new Lines();
    start(out);
    await().atMost(Duration.ofSeconds(5)).until(() -> heartbeatKey().isPresent());
    // A lab agent with the same name writes blindly with its own lease, as the Python lab does.
    long foreign = etcd.client().getLeaseClient().grant(30).get(5, TimeUnit.SECONDS).getID();
    String value = Heartbeat.alive(node, Instant.now()).toJson();
    etcd.client().getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value),
        PutOption.builder().withLeaseId(foreign).build()).get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(2)).until(() -> !out.matching("[Heartbeat] CONFLICT").isEmpty());
    int sent = out.matching("[Heartbeat] Sent for").size();
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
        .until(() -> heartbeatKey().map(kv -> kv.getLease() == foreign).orElse(false));
    assertThat(out.matching("[Heartbeat] Sent for")).hasSize(sent);
    etcd.client().getLeaseClient().revoke(foreign).get(5, TimeUnit.SECONDS);
  }
}
