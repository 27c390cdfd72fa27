package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class AgentConfigTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  private static final AtomicInteger ids = new AtomicInteger();
  private static final String DEFAULT = "{'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}";

  private final String node = "cfg-" + ids.incrementAndGet() + "-" + ProcessHandle.current().pid();
  private final String key = Keys.config(node);
  private final Lines out = new Lines();
  private final List<Throwable> crashes = new CopyOnWriteArrayList<>();
  private Agent agent;

  private void start() {
    AgentSettings settings = new AgentSettings(EtcdEndpoints.parse(etcd.endpoints(), "test"),
        new HeartbeatSettings(node, Duration.ofSeconds(5)));
    agent = new Agent(settings, Agent.Parts.CONFIG, new AgentPrinter(out.writer()), crashes::add);
    agent.start();
  }

  @AfterEach
  void close() {
    if (agent != null) {
      agent.close();
    }
    assertThat(crashes).isEmpty();
  }

  private long put(String value) throws Exception {
    return etcd.client().getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(value))
        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
  }

  private void awaitLine(String line) {
    await().atMost(Duration.ofSeconds(5)).until(() -> out.all().contains(line));
  }

  @Test
  void usesTheDefaultWhenTheKeyIsMissing() {
    start();
    await().atMost(Duration.ofSeconds(5)).until(() -> out.all().size() >= 5);
    assertThat(out.all()).startsWith(
        "[Agent] Starting config watcher for node: " + node,
        "[Agent] Config key: " + key,
        "[Config] No config found at " + key + ", using default: " + DEFAULT,
        "[Agent] Loaded initial config: " + DEFAULT,
        "[Agent] Iteration 1: interval=10s, metrics=['cpu', 'memory', 'disk']");
  }

  @Test
  void loadsTheStoredConfigAtStart() throws Exception {
    put("{\"interval\": 7, \"metrics\": [\"cpu\"], \"owner\": \"ops\"}");
    start();
    awaitLine("[Agent] Loaded initial config: {'interval': 7, 'metrics': ['cpu'], 'owner': 'ops'}");
    awaitLine("[Agent] Iteration 1: interval=7s, metrics=['cpu']");
  }

  @Test
  void appliesAnUpdateAndItsIntervalAtOnce() throws Exception {
    start();
    awaitLine("[Agent] Iteration 1: interval=10s, metrics=['cpu', 'memory', 'disk']");
    put("{\"interval\": 0.5, \"metrics\": [\"cpu\", \"memory\"]}");
    awaitLine("[Config] UPDATED config from etcd: {'interval': 0.5, 'metrics': ['cpu', 'memory']}");
    awaitLine("[Agent] Iteration 3: interval=0.5s, metrics=['cpu', 'memory']");
  }

  @Test
  void rejectsAnInvalidConfigNamingTheRevisionAndKeepsTheLastGoodOne() throws Exception {
    put("{\"interval\": 0.5, \"metrics\": [\"cpu\"]}");
    start();
    awaitLine("[Agent] Loaded initial config: {'interval': 0.5, 'metrics': ['cpu']}");
    long rev = put("{\"interval\": 0, \"metrics\": [\"cpu\"]}");
    awaitLine("[Config] REJECTED config at revision " + rev + ": \"interval\" must be a number of seconds > 0 and <= 86400, got 0; keeping {'interval': 0.5, 'metrics': ['cpu']}");
    long rev2 = put("not json");
    await().atMost(Duration.ofSeconds(5)).until(() ->
        out.all().stream().anyMatch(l -> l.startsWith("[Config] REJECTED config at revision " + rev2 + ": not valid JSON")));
    int before = out.matching("[Agent] Iteration").size();
    await().atMost(Duration.ofSeconds(5)).until(() -> out.matching("[Agent] Iteration").size() >= before + 2);
    assertThat(out.matching("[Agent] Iteration")).allMatch(l -> l.endsWith("interval=0.5s, metrics=['cpu']"));
  }

  @Test
  void rejectsAnInvalidInitialConfigAndRunsOnTheDefault() throws Exception {
    long rev = put("[1, 2]");
    start();
    awaitLine("[Config] REJECTED config at revision " + rev + ": config must be a JSON object, got a list [1, 2]; keeping " + DEFAULT);
    awaitLine("[Agent] Loaded initial config: " + DEFAULT);
  }

  @Test
  void keepsTheLastGoodConfigWhenTheKeyIsDeleted() throws Exception {
    put("{\"interval\": 3, \"metrics\": [\"disk\"]}");
    start();
    awaitLine("[Agent] Loaded initial config: {'interval': 3, 'metrics': ['disk']}");
    long rev = etcd.client().getKVClient().delete(EtcdClients.bytes(key)).get(5, TimeUnit.SECONDS).getHeader().getRevision();
    awaitLine("[Config] Config key deleted at revision " + rev + "; keeping {'interval': 3, 'metrics': ['disk']}");
  }

  @Test
  void endsOnTheLastOfAHundredRapidPutsAppliedInRevisionOrder() throws Exception {
    start();
    awaitLine("[Agent] Iteration 1: interval=10s, metrics=['cpu', 'memory', 'disk']");
    List<CompletableFuture<?>> puts = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      puts.add(etcd.client().getKVClient().put(EtcdClients.bytes(key),
          EtcdClients.bytes("{\"interval\": " + (100 + i) + ", \"metrics\": [\"m" + i + "\"]}")));
      puts.get(puts.size() - 1).get(5, TimeUnit.SECONDS);
    }
    awaitLine("[Config] UPDATED config from etcd: {'interval': 200, 'metrics': ['m100']}");
    List<String> updates = out.matching("[Config] UPDATED");
    assertThat(updates).hasSize(100);
    for (int i = 0; i < 100; i++) {
      assertThat(updates.get(i)).isEqualTo("[Config] UPDATED config from etcd: {'interval': " + (101 + i) + ", 'metrics': ['m" + (i + 1) + "']}");
    }
  }
}
