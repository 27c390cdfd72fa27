package io.monitorlab.server.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Json;
import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetEvent.ContactLost;
import io.monitorlab.server.fleet.FleetEvent.ContactRestored;
import io.monitorlab.server.fleet.FleetEvent.Listed;
import io.monitorlab.server.fleet.FleetEvent.NodeChanged;
import io.monitorlab.server.fleet.FleetEvent.NodeForgotten;
import io.monitorlab.server.fleet.FleetEvent.Transition;
import io.monitorlab.server.fleet.JsonText;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import io.monitorlab.server.fleet.Reason;
import io.monitorlab.server.fleet.SinkRunner;
import io.monitorlab.server.fleet.Source;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class HttpOutputTest {
  private static final double T = 1_800_000_000.0;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private HttpOutput output;
  private SinkRunner runner;
  private String base;

  @TempDir Path dir;

  @BeforeEach
  void start() throws Exception {
    output = HttpOutput.start(new InetSocketAddress("127.0.0.1", 0), "--http", "1.2.3");
    runner = new SinkRunner(output.sink()).start();
    base = "http://127.0.0.1:" + output.address().getPort();
  }

  @AfterEach
  void stop() {
    runner.close();
    output.close();
  }

  private static NodeView view(String node, NodeState state, String metrics, AgentStatus status) throws Exception {
    return new NodeView(node, state, T, T + 1, JsonText.of(new Heartbeat("alive", T + 1, node).toJson()),
        status == null ? 0 : 7, status == null ? null : JsonText.of("{\"interval\": 2, \"metrics\": [\"cpu\"]}"), status,
        metrics == null ? null : JsonText.of(metrics));
  }

  private static NodeView stale(NodeView v) {
    return new NodeView(v.node(), v.state(), v.since(), v.lastHeartbeat(), v.heartbeat(), v.desiredRevision(), v.config(),
        v.status(), v.metrics(), true);
  }

  private void feed(FleetEvent... events) {
    runner.offer(List.of(events));
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void fleetInEveryState() throws Exception {
    String metrics = "{\"ts\": 1.0, \"cpu\": {\"usage_ratio\": 0.25}, \"memory\": {\"total_bytes\": 1000, \"available_bytes\": 400}, "
        + "\"disk\": {\"/\": {\"size_bytes\": 100, \"avail_bytes\": 60}}, \"load\": {\"load1\": 0.5, \"load5\": 0.4, \"load15\": 0.3}, "
        + "\"network\": {\"eth0\": {\"rx_bytes_per_second\": 10.0, \"tx_bytes_per_second\": 5.0}}}";
    AgentStatus status = new AgentStatus(7, T, null, null, "1.0", T, "refresh");
    feed(new Transition(view("w-alive", NodeState.ALIVE, metrics, status), Reason.LISTED, 5, Source.LIST, T, "{}"),
        new Transition(view("w-dead", NodeState.DEAD, null, null), Reason.EXPIRED, 6, Source.WATCH, T),
        new Transition(view("w-left", NodeState.LEFT, null, null), Reason.LEFT, 7, Source.WATCH, T),
        new Transition(view("w-missing", NodeState.MISSING, null, null), Reason.MISSING, 8, Source.LIST, T),
        new NodeChanged(view("w-unknown", NodeState.UNKNOWN, null, status.rejected(9, "interval: must be > 0"))),
        new Listed(9, 4, true, List.of("w-alive")));
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/readyz").statusCode() == 200);
  }

  @Test
  void theApiListsEveryNodeInNameOrderWithItsStateConfigAndMetrics() throws Exception {
    fleetInEveryState();

    HttpResponse<String> r = get("/api/v1/nodes");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
    JsonNode json = Json.parse(r.body());
    assertThat(json.get("revision").asLong()).isEqualTo(9);
    assertThat(json.get("etcd").asText()).isEqualTo("ok");
    List<String> rows = new ArrayList<>();
    json.get("nodes").forEach(n -> rows.add(n.get("node").asText() + " " + n.get("state").asText()));
    assertThat(rows).containsExactly("w-alive ALIVE", "w-dead DEAD", "w-left LEFT", "w-missing MISSING", "w-unknown UNKNOWN");
    JsonNode alive = json.get("nodes").get(0);
    assertThat(alive.get("since").asDouble()).isEqualTo(T);
    assertThat(alive.get("last_heartbeat").asDouble()).isEqualTo(T + 1);
    assertThat(alive.get("heartbeat").get("hostname").asText()).isEqualTo("w-alive");
    assertThat(alive.get("config").get("desired_revision").asLong()).isEqualTo(7);
    assertThat(alive.get("config").get("applied_revision").asLong()).isEqualTo(7);
    assertThat(alive.get("config").get("interval").asInt()).isEqualTo(2);
    assertThat(alive.get("metrics").get("cpu").get("usage_ratio").asDouble()).isEqualTo(0.25);
    assertThat(alive.get("agent").get("version").asText()).isEqualTo("1.0");
    JsonNode unknown = json.get("nodes").get(4);
    assertThat(unknown.get("config").get("rejected_revision").asLong()).isEqualTo(9);
    assertThat(unknown.get("config").get("rejected_reason").asText()).isEqualTo("interval: must be > 0");
    assertThat(json.get("nodes").get(1).get("metrics").isNull()).isTrue();
  }

  @Test
  void eachNodeSaysWhetherItIsStaleInTheListAndAlone() throws Exception {
    fleetInEveryState();
    feed(new NodeChanged(stale(view("w-alive", NodeState.ALIVE, null, null))));

    await().atMost(Duration.ofSeconds(5)).until(() -> Json.parse(get("/api/v1/nodes/w-alive").body()).get("stale").asBoolean());
    JsonNode nodes = Json.parse(get("/api/v1/nodes").body()).get("nodes");
    List<String> rows = new ArrayList<>();
    nodes.forEach(n -> rows.add(n.get("node").asText() + " " + n.get("state").asText() + " " + n.get("stale")));
    assertThat(rows).containsExactly("w-alive ALIVE true", "w-dead DEAD false", "w-left LEFT false", "w-missing MISSING false",
        "w-unknown UNKNOWN false");
    assertThat(get("/metrics").body()).contains("monitor_node_stale{node=\"w-alive\"} 1.0\n",
        "monitor_node_stale{node=\"w-dead\"} 0.0\n", "monitor_node_up{node=\"w-alive\"} 1.0\n");
  }

  @Test
  void oneNodeIsFoundUnknownOnesAre404AndBadNamesAre400() throws Exception {
    fleetInEveryState();

    assertThat(Json.parse(get("/api/v1/nodes/w-dead").body()).get("state").asText()).isEqualTo("DEAD");
    HttpResponse<String> unknown = get("/api/v1/nodes/nobody");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Json.parse(unknown.body()).get("error").asText()).isEqualTo("unknown node: nobody");
    HttpResponse<String> bad = get("/api/v1/nodes/a%2Fb");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(Json.parse(bad.body()).get("error").asText()).startsWith("bad node name \"a/b\"");
    assertThat(get("/api/v1/nodes/..").statusCode()).isIn(400, 404);
  }

  @Test
  void transitionsComeNewestFirstWithinTheLimitAndABadLimitIs400() throws Exception {
    fleetInEveryState();

    JsonNode two = Json.parse(get("/api/v1/transitions?limit=2").body()).get("transitions");
    assertThat(two).hasSize(2);
    assertThat(two.get(0).get("node").asText()).isEqualTo("w-missing");
    assertThat(two.get(0).get("state").asText()).as("MISSING is a DEAD found by a listing").isEqualTo("DEAD");
    assertThat(two.get(0).get("reason").asText()).isEqualTo("registered but no heartbeat key");
    assertThat(two.get(1).get("source").asText()).isEqualTo("watch");
    assertThat(two.get(1).get("time").asText()).isEqualTo("2027-01-15T08:00:00Z");
    assertThat(Json.parse(get("/api/v1/transitions").body()).get("transitions")).hasSize(4);
    for (String bad : new String[] {"0", "1001", "x", "-1"}) {
      HttpResponse<String> r = get("/api/v1/transitions?limit=" + bad);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(Json.parse(r.body()).get("error").asText()).contains("expected a whole number from 1 to 1000");
    }
  }

  @Test
  void unknownPathsAre404OtherMethods405AndTheDashboardIsServed() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    assertThat(Json.parse(get("/api/v1/nope").body()).get("error").asText()).isEqualTo("no such path: /api/v1/nope");
    for (String path : new String[] {"/api/v1/nodes", "/metrics", "/"}) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
          .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(path).isEqualTo(405);
      assertThat(r.headers().firstValue("Allow")).as(path).hasValue("GET, HEAD");
    }
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"app.js\"").doesNotContain("http://", "https://");
    assertThat(get("/app.js").body()).contains("EventSource").doesNotContain("http://", "https://");
    assertThat(get("/app.css").statusCode()).isEqualTo(200);
  }

  @Test
  void readinessFollowsTheListingAndTheContactWithEtcd() throws Exception {
    assertThat(get("/healthz").statusCode()).isEqualTo(200);
    HttpResponse<String> early = get("/readyz");
    assertThat(early.statusCode()).isEqualTo(503);
    assertThat(Json.parse(early.body()).get("reason").asText()).startsWith("not listed yet");

    feed(new Listed(3, 0, true, List.of()));
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/readyz").statusCode() == 200);
    feed(new ContactLost(Duration.ofSeconds(3), "no answer", List.of()));
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/readyz").statusCode() == 503);
    assertThat(Json.parse(get("/readyz").body()).get("reason").asText()).isEqualTo("cannot see etcd");
    assertThat(Json.parse(get("/api/v1/nodes").body()).get("etcd").asText()).isEqualTo("lost");
    assertThat(get("/metrics").body()).contains("monitor_etcd_up 0.0");
    feed(new ContactRestored(Duration.ofSeconds(4)));
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/readyz").statusCode() == 200);
  }

  @Test
  void metricsNameEveryNodeInEveryStateAndForgottenNodesVanish() throws Exception {
    fleetInEveryState();

    String text = get("/metrics").body();

    assertThat(text).contains(
        "monitor_node_up{node=\"w-alive\"} 1.0", "monitor_node_up{node=\"w-dead\"} 0.0",
        "monitor_node_state{node=\"w-missing\",state=\"missing\"} 1.0",
        "monitor_node_state{node=\"w-missing\",state=\"dead\"} 0.0",
        "monitor_node_state{node=\"w-unknown\",state=\"unknown\"} 1.0",
        "monitor_node_transitions_total{node=\"w-dead\",to=\"dead\"} 1.0",
        "monitor_node_cpu_usage_ratio{node=\"w-alive\"} 0.25",
        "monitor_node_memory_available_bytes{node=\"w-alive\"} 400.0",
        "monitor_node_filesystem_avail_bytes{mountpoint=\"/\",node=\"w-alive\"} 60.0",
        "monitor_node_load1{node=\"w-alive\"} 0.5",
        "monitor_node_config_applied_revision{node=\"w-alive\"} 7.0",
        "monitor_etcd_up 1.0", "monitor_build_info{version=\"1.2.3\"} 1");
    assertThat(text).contains("monitor_node_last_heartbeat_timestamp_seconds{node=\"w-alive\"} 1.800000001E9");
    feed(new NodeForgotten("w-dead", 10));
    await().atMost(Duration.ofSeconds(5)).until(() -> !get("/metrics").body().contains("w-dead"));
    assertThat(get("/api/v1/nodes/w-dead").statusCode()).isEqualTo(404);
  }

  @Test
  void tenThousandNodesWithMetricsAreServedWhole() throws Exception {
    String metrics = "{\"ts\": 1.0, \"cpu\": {\"usage_ratio\": 0.25}, \"memory\": {\"total_bytes\": 1000, "
        + "\"available_bytes\": 400}, \"disk\": {\"/\": {\"size_bytes\": 100, \"avail_bytes\": 60}}}";
    List<FleetEvent> batch = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      batch.add(new Transition(view(String.format("n-%05d", i), NodeState.ALIVE, metrics, null), Reason.LISTED, 5, Source.LIST, T, "{}"));
    }
    batch.add(new Listed(5, 10_000, true, List.of()));
    runner.offer(batch);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/readyz").statusCode() == 200);

    List<Long> nodesMs = new ArrayList<>();
    List<Long> metricsMs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      HttpResponse<String> r = get("/api/v1/nodes");
      nodesMs.add((System.nanoTime() - t0) / 1_000_000);
      assertThat(r.statusCode()).isEqualTo(200);
      if (i == 0) {
        assertThat(Json.parse(r.body()).get("nodes")).hasSize(10_000);
      }
      t0 = System.nanoTime();
      assertThat(get("/metrics").statusCode()).isEqualTo(200);
      metricsMs.add((System.nanoTime() - t0) / 1_000_000);
    }
    nodesMs.sort(null);
    metricsMs.sort(null);
    System.out.println("[Bench] in-process, 10000 nodes with metrics, 20 requests: GET /api/v1/nodes p50 " + nodesMs.get(10)
        + " ms max " + nodesMs.get(19) + " ms; GET /metrics p50 " + metricsMs.get(10) + " ms max " + metricsMs.get(19) + " ms");
  }

  @Test
  void promtoolAcceptsTheMetrics() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      Assumptions.assumeTrue(System.getenv("CI") == null, "promtool missing");
      throw new AssertionError("promtool is missing: apt-get install prometheus (scripts/test.sh does)");
    }
    fleetInEveryState();
    feed(new Transition(view("odd \"name\"\\", NodeState.ALIVE, null, null), Reason.WRITTEN, 11, Source.WATCH, T),
        new NodeChanged(stale(view("w-stale", NodeState.ALIVE, null, null))));
    await().atMost(Duration.ofSeconds(5)).until(() -> get("/metrics").body().contains("odd"));
    assertThat(get("/metrics").body()).contains("# TYPE monitor_node_stale gauge\n", "monitor_node_stale{node=\"w-stale\"} 1.0\n");
    Path file = dir.resolve("metrics.txt");
    Files.writeString(file, get("/metrics").body());

    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics said: %s", out).isZero();
    assertThat(out).as("promtool's lint").isBlank();
  }

  @Test
  void theEventStreamSendsTransitionsAtOnceAndCoalescedNodes() throws Exception {
    fleetInEveryState();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream; charset=utf-8");
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (String l = in.readLine(); l != null; l = in.readLine()) {
          lines.add(l);
        }
      } catch (Exception e) {
        // the stream ends with the test
      }
    });
    reader.setDaemon(true);
    reader.start();
    assertThat(lines.poll(5, TimeUnit.SECONDS)).isEqualTo("retry: 2000");
    await().atMost(Duration.ofSeconds(5)).until(() -> output.sink() instanceof FleetMirror);

    List<HttpResponse<java.io.InputStream>> idle = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      idle.add(http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events")).build(),
          HttpResponse.BodyHandlers.ofInputStream()));
    }
    long t0 = System.nanoTime();
    assertThat(get("/metrics").statusCode()).as("20 open streams do not starve /metrics").isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));

    feed(new Transition(view("w-dead", NodeState.ALIVE, null, null), Reason.WRITTEN, 12, Source.WATCH, T + 5, "{}"));
    List<String> got = new ArrayList<>();
    await().atMost(Duration.ofSeconds(5)).until(() -> {
      lines.drainTo(got);
      return got.stream().anyMatch(l -> l.startsWith("data: {\"revision\""));
    });
    int event = got.indexOf("event: transition");
    assertThat(event).isGreaterThanOrEqualTo(0);
    JsonNode t = Json.parse(got.get(event + 1).substring("data: ".length()));
    assertThat(t.get("node").asText()).isEqualTo("w-dead");
    assertThat(t.get("state").asText()).isEqualTo("ALIVE");
    assertThat(got.indexOf("event: nodes")).isGreaterThan(event);
    for (HttpResponse<java.io.InputStream> s : idle) {
      s.body().close();
    }
  }
}
