package io.monitorlab.it;

import static io.monitorlab.it.support.Match.prefix;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Timing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The monitor's HTTP side with the real monitor jar, real agents and real etcd (5 s TTL): the API shows
 * both agents ALIVE, a killed one DEAD within the TTL + 2 s, a stopped one LEFT, and promtool accepts
 * {@code /metrics} throughout.
 */
@Timeout(120)
class MonitorHttpIT {
  private static final Duration START = ofSeconds(30);
  private static final Duration TTL = ofSeconds(5);
  private static final Pattern HTTP_LINE = Pattern.compile("\\[Monitor] HTTP on (http://[^ ]+?)/ .*");

  @RegisterExtension final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));
  @TempDir Path dir;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(ofSeconds(5)).build();
  private String base;

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String state(String node) throws Exception {
    HttpResponse<String> r = get("/api/v1/nodes/" + node);
    return r.statusCode() == 200 ? Json.parse(r.body()).get("state").asText() : "HTTP " + r.statusCode();
  }

  @Test
  void theApiAndMetricsFollowAgentsThatStartDieAndLeave() throws Exception {
    String a = Nodes.unique("http-a");
    String b = Nodes.unique("http-b");
    RunningProcess monitor = processes.start("monitor",
        Command.server("--endpoints", etcd.endpoints(), "--http", "127.0.0.1:0"));
    Matcher m = HTTP_LINE.matcher(monitor.awaitLine(prefix("[Monitor] HTTP on "), START).text());
    assertThat(m.matches()).as("the HTTP line names the address").isTrue();
    base = m.group(1);
    await().atMost(START).until(() -> get("/readyz").statusCode() == 200);

    RunningProcess agentA = processes.start(a, Command.agent("--node", a, "--endpoints", etcd.endpoints()));
    RunningProcess agentB = processes.start(b, Command.agent("--node", b, "--endpoints", etcd.endpoints()));
    await().atMost(START).until(() -> {
      JsonNode nodes = Json.parse(get("/api/v1/nodes").body()).get("nodes");
      return nodes.findValuesAsText("node").containsAll(java.util.List.of(a, b))
          && state(a).equals("ALIVE") && state(b).equals("ALIVE");
    });
    JsonNode fleet = Json.parse(get("/api/v1/nodes").body());
    assertThat(fleet.get("etcd").asText()).isEqualTo("ok");
    assertThat(fleet.get("revision").asLong()).isPositive();
    await().atMost(START).until(() -> get("/metrics").body().contains("monitor_node_cpu_usage_ratio{node=\"" + a + "\"}"));
    promtool(get("/metrics").body(), "two agents ALIVE");
    agentA.awaitLine(prefix("[Heartbeat] Sent for " + a), START);

    long killed = agentA.signal("KILL");
    await().atMost(TTL.plusSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() -> state(a).equals("DEAD"));
    Timing.report("kill -9 agent -> DEAD in /api/v1/nodes", Duration.ofNanos(System.nanoTime() - killed), TTL.plusSeconds(2));

    long termed = agentB.signal("TERM");
    await().atMost(ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> state(b).equals("LEFT"));
    Timing.report("SIGTERM agent -> LEFT in /api/v1/nodes", Duration.ofNanos(System.nanoTime() - termed), ofSeconds(5));
    assertThat(agentB.awaitExit(ofSeconds(10))).isZero();

    JsonNode transitions = Json.parse(get("/api/v1/transitions?limit=10").body()).get("transitions");
    assertThat(transitions.get(0).get("node").asText()).isEqualTo(b);
    assertThat(transitions.get(0).get("state").asText()).isEqualTo("LEFT");
    assertThat(transitions.get(1).get("node").asText()).isEqualTo(a);
    assertThat(transitions.get(1).get("reason").asText()).isEqualTo("lease expired");
    String metrics = get("/metrics").body();
    assertThat(metrics).contains("monitor_node_up{node=\"" + a + "\"} 0.0",
        "monitor_node_state{node=\"" + a + "\",state=\"dead\"} 1.0",
        "monitor_node_state{node=\"" + b + "\",state=\"left\"} 1.0", "monitor_etcd_up 1.0");
    promtool(metrics, "one agent DEAD, one LEFT");
  }

  private void promtool(String metrics, String when) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      if (!"true".equals(System.getenv("CI"))) {
        throw new TestAbortedException("promtool is missing: apt-get install prometheus (skipped outside CI)");
      }
      throw new AssertionError("promtool is missing: apt-get install prometheus");
    }
    Path file = Files.writeString(dir.resolve("metrics.txt"), metrics);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(file.toFile())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("promtool check metrics (%s) said: %s", when, out).isZero();
    assertThat(out).as("promtool's lint (%s)", when).isBlank();
  }
}
