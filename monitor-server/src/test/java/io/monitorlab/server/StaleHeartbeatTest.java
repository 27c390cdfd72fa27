package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcd.jetcd.Client;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Json;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose lease is kept alive by someone else (etcd 3.4 checks no permission on a keepalive) while
 * nobody rewrites its heartbeat value: the key stays, and only the monitor can tell that it is no live node.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StaleHeartbeatTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern HTTP_LINE = Pattern.compile("\\[Monitor\\] HTTP on (http://[^/]+)/ .*");
  /** Three cadences of 2.5 s (the default TTL's), the rule's bound for an agent in refresh mode. */
  private static final Duration LIMIT = Duration.ofMillis(7500);

  @TempDir Path dir;

  private EtcdOps ops;
  private final ScheduledExecutorService others = Executors.newScheduledThreadPool(1);
  private final AtomicReference<Exception> othersFailed = new AtomicReference<>();

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  @AfterEach
  void stopOthers() {
    others.shutdownNow();
  }

  /** Runs {@code task} every second on the test's own thread, as another client of etcd would. */
  private void everySecond(Task task) {
    others.scheduleAtFixedRate(() -> {
      try {
        task.call();
      } catch (Exception e) {
        othersFailed.compareAndSet(null, e);
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  interface Task {
    void call() throws Exception;
  }

  private static String baseUrl(MonitorRun run) {
    await().atMost(MonitorRun.AWAIT).until(() -> run.lines().stream().anyMatch(l -> HTTP_LINE.matcher(l).matches()));
    Matcher m = run.lines().stream().map(HTTP_LINE::matcher).filter(Matcher::matches).findFirst().orElseThrow();
    return m.group(1);
  }

  private static String get(String url) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET %s", url).isEqualTo(200);
    return r.body();
  }

  private static JsonNode node(String base, String node) throws Exception {
    return Json.parse(get(base + "/api/v1/nodes/" + node));
  }

  @Test
  void aNodeWhoseLeaseIsKeptAliveButWhoseValueIsNotRewrittenIsStaleUntilItIsWrittenAgain() throws Exception {
    Path log = dir.resolve("transitions.jsonl");
    Client client = etcd.client();
    long keptRevision;
    long rewriteRevision;
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600",
        "--transition-log", log.toString())) {
      String base = baseUrl(run);
      run.awaitLine("[Status] Total alive: 0");
      // A live node beside it: its agent rewrites its value every second and is never stale.
      long liveLease = ops.grant(5);
      ops.put(Keys.STATUS_PREFIX + "sh-live", new AgentStatus(0, 1.0, null, null, "test", 1.0, "refresh", 5).toJson(), liveLease);
      ops.put(heartbeatKey("sh-live"), Heartbeat.alive("sh-live", Instant.now()).toJson(), liveLease);
      everySecond(() -> {
        client.getLeaseClient().keepAliveOnce(liveLease).get(2, TimeUnit.SECONDS);
        ops.put(heartbeatKey("sh-live"), Heartbeat.alive("sh-live", Instant.now()).toJson(), liveLease);
      });
      // The kept node: written once by its agent (refresh mode, 5 s TTL), then only its lease is renewed.
      long lease = ops.grant(5);
      ops.put(Keys.STATUS_PREFIX + "sh-kept", new AgentStatus(0, 1.0, null, null, "test", 1.0, "refresh", 5).toJson(), lease);
      keptRevision = ops.put(heartbeatKey("sh-kept"), Heartbeat.alive("sh-kept", Instant.now()).toJson(), lease);
      long written = System.nanoTime();
      everySecond(() -> client.getLeaseClient().keepAliveOnce(lease).get(2, TimeUnit.SECONDS));
      run.awaitLine("[Status] Total alive: 2");
      int before = run.lines().size();
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions()
          .untilAsserted(() -> assertThat(node(base, "sh-kept").get("stale").asBoolean()).isFalse());

      await().atMost(MonitorRun.AWAIT).until(() -> run.linesFrom(before).stream().anyMatch(l -> l.startsWith("[!] Node sh-kept STALE")));
      Duration took = Duration.ofNanos(System.nanoTime() - written);

      assertThat(took).as("more than three cadences, within two seconds of the check").isGreaterThan(LIMIT)
          .isLessThan(LIMIT.plusSeconds(3));
      assertThat(run.linesFrom(before)).singleElement().asString()
          .matches("\\[!\\] Node sh-kept STALE \\(heartbeat value not rewritten for [789]\\.\\d s, expected every 2\\.5 s: "
              + "its lease is kept alive without its agent writing\\)");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        JsonNode kept = node(base, "sh-kept");
        assertThat(kept.get("state").asText()).isEqualTo("ALIVE");
        assertThat(kept.get("stale").asBoolean()).isTrue();
        assertThat(get(base + "/metrics")).contains("monitor_node_stale{node=\"sh-kept\"} 1.0\n",
            "monitor_node_stale{node=\"sh-live\"} 0.0\n", "monitor_node_up{node=\"sh-kept\"} 1.0\n");
      });
      assertThat(node(base, "sh-live").get("stale").asBoolean()).isFalse();
      assertThat(Json.parse(get(base + "/api/v1/nodes")).get("nodes")).extracting(n -> n.get("node").asText() + " "
          + n.get("stale").asBoolean()).containsExactly("sh-kept true", "sh-live false");

      int stale = run.lines().size();
      rewriteRevision = ops.put(heartbeatKey("sh-kept"), Heartbeat.alive("sh-kept", Instant.now()).toJson(), lease);

      run.awaitLines(stale + 1);
      assertThat(run.linesFrom(stale)).singleElement().asString()
          .matches("\\[!\\] Node sh-kept FRESH \\(heartbeat value rewritten again after \\d+\\.\\d s\\)");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        assertThat(node(base, "sh-kept").get("stale").asBoolean()).isFalse();
        assertThat(get(base + "/metrics")).contains("monitor_node_stale{node=\"sh-kept\"} 0.0\n");
      });
      assertThat(run.lines()).as("the lease stayed alive: no death, and only sh-live never went stale")
          .noneMatch(l -> l.startsWith("[-]") || l.contains("sh-live STALE"));
      assertThat(othersFailed.get()).isNull();
    }
    List<String> entries = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode j = Json.parse(line);
      entries.add(j.get("node").asText() + " " + j.get("state").asText() + " " + j.get("revision").asLong() + " "
          + j.get("source").asText() + " " + j.get("reason").asText());
    }
    // The revisions say which write went stale and which one ended it, for a diff against an etcdctl record.
    assertThat(entries).hasSize(4);
    assertThat(entries.get(0)).startsWith("sh-live ALIVE ");
    assertThat(entries.get(1)).isEqualTo("sh-kept ALIVE " + keptRevision + " watch heartbeat key written");
    assertThat(entries.get(2)).matches("sh-kept STALE " + keptRevision + " watch heartbeat value not rewritten for [789]\\.\\d s, "
        + "expected every 2\\.5 s: its lease is kept alive without its agent writing");
    assertThat(entries.get(3)).matches("sh-kept FRESH " + rewriteRevision + " watch heartbeat value rewritten again after \\d+\\.\\d s");
  }
}
