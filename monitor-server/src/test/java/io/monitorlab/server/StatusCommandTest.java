package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static io.monitorlab.server.EtcdOps.leaving;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.Registration;
import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StatusCommandTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  /** Ten and a half seconds after the ts of {@link EtcdOps#alive}. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-11-23T22:13:30.623456Z"), ZoneOffset.UTC);

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  private static CommandRun status() {
    return CommandRun.on(Cli.configure(new CommandLine(new StatusCommand(Map.of(), CLOCK))),
        "--endpoints", etcd.endpoints());
  }

  @Test
  void printsOneRowPerNodeWithStateAgesUseAndConfigThenTheTotal() throws Exception {
    ops.beat("sc-worker-b", 30);
    ops.beat("sc-worker-a", 30);
    ops.put("/monitor/nodes/sc-worker-a", Registration.active("sc-worker-a", Instant.parse("2024-11-23T22:10:30.623456Z")).toJson(), 0);
    long desired = ops.put("/monitor/config/sc-worker-a", "{\"interval\": 2, \"metrics\": [\"cpu\"]}", 0);
    AgentStatus status = new AgentStatus(0, 1.0, null, null, "1.0", 1.0, "refresh");
    ops.put("/monitor/status/sc-worker-a", status.applied(desired, 2.0).toJson(), 0);
    ops.put("/monitor/metrics/sc-worker-a", "{\"ts\": 1.0, \"cpu\": {\"usage_ratio\": 0.123}, \"memory\": "
        + "{\"total_bytes\": 1000, \"available_bytes\": 250}, \"disk\": {\"/\": {\"size_bytes\": 100, \"avail_bytes\": 90}, "
        + "\"/data\": {\"size_bytes\": 100, \"avail_bytes\": 40}}}", 0);
    long next = ops.put("/monitor/config/sc-worker-b", "{\"interval\": 5, \"metrics\": []}", 0);
    ops.put("/monitor/status/sc-worker-b", status.rejected(next, "interval: must be > 0").toJson(), 0);
    ops.put("/monitor/nodes/sc-gone", Registration.active("sc-gone", Instant.EPOCH).toJson(), 0);
    ops.put("/monitor/nodes/sc-left", Registration.left("sc-left", Instant.parse("2024-11-23T21:13:30.623456Z")).toJson(), 0);

    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).containsExactly(
        "NODE         STATE    SINCE  HEARTBEAT  CPU  MEMORY  DISK  CONFIG",
        "sc-gone      MISSING  -      -          -    -       -     -",
        "sc-left      LEFT     1h0m   -          -    -       -     -",
        "sc-worker-a  ALIVE    3m0s   10.5s      12%  75%     60%   rev " + desired + " applied",
        "sc-worker-b  ALIVE    0.0s   10.5s      -    -       -     rev " + next + " REJECTED: interval: must be > 0",
        "[Status] Total alive: 2");
  }

  @Test
  void jsonOutputIsTheApisJson() throws Exception {
    ops.beat("sc-json", 30);
    ops.put("/monitor/nodes/sc-json-gone", Registration.active("sc-json-gone", Instant.EPOCH).toJson(), 0);

    CommandRun run = CommandRun.on(Cli.configure(new CommandLine(new StatusCommand(Map.of(), CLOCK))),
        "--endpoints", etcd.endpoints(), "-o", "json");

    assertThat(run.exit()).isZero();
    com.fasterxml.jackson.databind.JsonNode json = io.monitorlab.common.Json.parse(String.join("\n", run.out()));
    assertThat(json.get("etcd").asText()).isEqualTo("ok");
    assertThat(json.get("revision").asLong()).isPositive();
    assertThat(json.get("nodes")).hasSize(2);
    assertThat(json.get("nodes").get(0).get("node").asText()).isEqualTo("sc-json");
    assertThat(json.get("nodes").get(0).get("state").asText()).isEqualTo("ALIVE");
    assertThat(json.get("nodes").get(1).get("state").asText()).isEqualTo("MISSING");
    assertThat(json.get("nodes").get(1).get("since").isNull()).isTrue();
  }

  @Test
  void printsAnEmptyTableWhenNoNodeIsKnown() {
    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.out()).containsExactly(
        "NODE  STATE  SINCE  HEARTBEAT  CPU  MEMORY  DISK  CONFIG",
        "[Status] Total alive: 0");
  }

  @Test
  void isWiredAsASubcommandOfTheMonitor() throws Exception {
    ops.beat("sc-wired", 30);

    CommandRun run = CommandRun.of("status", "--endpoints", etcd.endpoints());

    assertThat(run.exit()).isZero();
    assertThat(run.out()).hasSize(3).last().isEqualTo("[Status] Total alive: 1");
    assertThat(run.out().get(1)).startsWith("sc-wired  ALIVE  ");
  }

  @Test
  void foreignNamesAndOddValuesDoNotBreakTheTable() throws Exception {
    ops.put(heartbeatKey("sc-a b"), alive("x"), 0);
    ops.put(heartbeatKey("sc-not-json"), "not json", 0);
    ops.put(heartbeatKey("sc-list"), "[1, 2]", 0);
    ops.put(heartbeatKey("sc-no-fields"), "{}", 0);
    ops.put(heartbeatKey("sc-forged"), "{\"status\": \"up\\n[Status] Total alive: 99\", \"ts\": \"soon\"}", 0);
    ops.put(heartbeatKey("sc-far"), "{\"status\": \"alive\", \"ts\": 1e300}", 0);
    ops.put(heartbeatKey("sc-inf"), "{\"status\": \"alive\", \"ts\": Infinity}", 0);
    ops.put(heartbeatKey("sc-neg"), "{\"status\": \"alive\", \"ts\": -1e300}", 0);
    ops.put("/monitor/metrics/sc-list", "{\"cpu\": \"x\", \"memory\": {\"total_bytes\": 0}, \"disk\": [1]}", 0);
    ops.put("/monitor/status/sc-list", "{\"config_revision\": 1, \"rejected_revision\": 1, \"rejected_reason\": \"a\\nb\"}", 0);
    ops.put("/monitor/config/sc-list", "not json", 0);

    CommandRun run = status();

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).hasSize(10).last().isEqualTo("[Status] Total alive: 8");
    assertThat(run.out()).filteredOn(l -> l.startsWith("[Status]")).hasSize(1);
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-a\\\\x20b\\s+ALIVE\\s+\\S+\\s+10\\.5s\\s+-\\s+-\\s+-\\s+-"));
    for (String node : new String[] {"sc-not-json", "sc-no-fields", "sc-forged", "sc-far", "sc-inf", "sc-neg"}) {
      assertThat(run.out()).anySatisfy(l -> assertThat(l).matches(node + "\\s+ALIVE\\s+\\S+\\s+-\\s+-\\s+-\\s+-\\s+-"));
    }
    assertThat(run.out()).anySatisfy(l -> assertThat(l).matches("sc-list\\s+ALIVE\\s+\\S+\\s+-\\s+-\\s+-\\s+-\\s+rev \\d+ pending \\(applied 1\\)"));
  }

  @Test
  void anUnreachableEtcdFailsWithOneLine() throws Exception {
    String endpoint = "127.0.0.1:" + Ports.closed();
    long start = System.nanoTime();

    CommandRun run = CommandRun.of("status", "--endpoints", endpoint);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).singleElement().asString()
        .startsWith("monitor-server status: cannot reach etcd at " + endpoint + " (from --endpoints): ")
        .endsWith("; check that etcd runs there and that --endpoints/ETCD_ENDPOINTS is right (if etcd uses TLS: https:// endpoints and --cacert)");
  }

  @Test
  void rejectsABadEndpointWithExitTwo() {
    CommandRun run = CommandRun.of("status", "--endpoints", "h:0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().contains("--endpoints");
  }
}
