package io.monitorlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConfigCommandTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private static final String DEFAULT = "{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}";

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  private static CommandRun config(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "config";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--endpoints";
    all[args.length + 2] = etcd.endpoints();
    return CommandRun.of(all);
  }

  /**
   * Answers for the node as its agent would: every new config revision is written to the status key,
   * as applied, or as rejected with {@code reason} when one is given. Close it to stop.
   */
  private static io.etcd.jetcd.Watch.Watcher fakeAgent(String node, String reason) {
    AgentStatus[] status = {new AgentStatus(0, 1.0, null, null, "test", 1.0, "refresh")};
    return etcd.client().getWatchClient().watch(EtcdClients.bytes(Keys.config(node)), response -> {
      for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
        long rev = e.getKeyValue().getModRevision();
        status[0] = reason == null ? status[0].applied(rev, 2.0) : status[0].rejected(rev, reason);
        // Asynchronous: a watch callback must not block.
        etcd.client().getKVClient().put(EtcdClients.bytes(Keys.status(node)), EtcdClients.bytes(status[0].toJson()));
      }
    });
  }

  @Test
  void setWaitReportsTheRevisionTheAgentApplied() throws Exception {
    try (io.etcd.jetcd.Watch.Watcher agent = fakeAgent("cc-wait-ok", null)) {
      CommandRun run = config("set", "cc-wait-ok", "{\"interval\": 2, \"metrics\": [\"cpu\"]}", "--wait=10");

      assertThat(run.exit()).as("stderr %s", run.err()).isZero();
      assertThat(run.out()).hasSize(2);
      assertThat(run.out().get(1)).matches("\\[Config\\] cc-wait-ok applied revision \\d+ after \\d+\\.\\d{3} s");
    }
  }

  @Test
  void setWaitFailsWithTheAgentsReasonWhenItRejectsTheConfig() throws Exception {
    try (io.etcd.jetcd.Watch.Watcher agent = fakeAgent("cc-wait-no", "metrics: 'gpu' is not allowed here")) {
      CommandRun run = config("set", "cc-wait-no", "{\"interval\": 2, \"metrics\": [\"cpu\"]}", "--wait");

      assertThat(run.exit()).isEqualTo(1);
      assertThat(run.err()).singleElement().asString()
          .matches("\\[Config\\] cc-wait-no REJECTED revision \\d+ after \\d+\\.\\d{3} s: metrics: 'gpu' is not allowed here");
    }
  }

  @Test
  void setWaitGivesUpOnADeadNodeAfterTheTimeout() {
    long t0 = System.nanoTime();
    CommandRun run = config("set", "cc-wait-dead", "{\"interval\": 2, \"metrics\": []}", "--wait=1");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    assertThat(run.err()).singleElement().asString().matches("\\[Config\\] cc-wait-dead did not answer within 1 s: no agent "
        + "reported revision \\d+ at /monitor/status/cc-wait-dead \\(the node may be dead or run no agent\\)");
  }

  /** What the agent writes at its status key (AgentStatus.toJson), as it would after reading the config. */
  private static void agentStatus(String node, AgentStatus status) throws Exception {
    etcd.client().getKVClient().put(EtcdClients.bytes(Keys.status(node)), EtcdClients.bytes(status.toJson()))
        .get(5, TimeUnit.SECONDS);
  }

  private static long putConfig(String node, String value) throws Exception {
    return etcd.client().getKVClient().put(EtcdClients.bytes(Keys.config(node)), EtcdClients.bytes(value))
        .get(5, TimeUnit.SECONDS).getHeader().getRevision();
  }

  @Test
  void waitingSeesARejectionOfAConfigPutBehindItsBackAndAnApplyAlreadyReported() throws Exception {
    AgentStatus started = new AgentStatus(0, 1.0, null, null, "test", 1.0, "lease");
    long good = putConfig("cc-wait-direct", "{\"interval\": 2, \"metrics\": []}");
    agentStatus("cc-wait-direct", started.applied(good, 2.0));
    // `config set` refuses this one itself; an operator's etcdctl put does not.
    long bad = putConfig("cc-wait-direct", "{\"interval\": -1, \"metrics\": []}");

    try (io.etcd.jetcd.Client client = EtcdClients.connect(io.monitorlab.common.EtcdEndpoints.parse(etcd.endpoints(), "test"))) {
      ConfigWait wait = new ConfigWait(client, "cc-wait-direct");
      ConfigWait.Outcome applied = wait.await(good, System.nanoTime(), Duration.ofSeconds(5));
      assertThat(applied.applied()).as("already in the status when the wait starts").isTrue();
      assertThat(applied.line()).matches("\\[Config\\] cc-wait-direct applied revision " + good + " after \\d+\\.\\d{3} s");

      java.util.concurrent.CompletableFuture<ConfigWait.Outcome> rejected = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return wait.await(bad, System.nanoTime(), Duration.ofSeconds(20));
        } catch (Exception e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      agentStatus("cc-wait-direct", started.applied(good, 2.0).rejected(bad, "interval: must be > 0, got -1"));

      ConfigWait.Outcome outcome = rejected.get(30, TimeUnit.SECONDS);
      assertThat(outcome.applied()).isFalse();
      assertThat(outcome.line()).matches("\\[Config\\] cc-wait-direct REJECTED revision " + bad
          + " after \\d+\\.\\d{3} s: interval: must be > 0, got -1");
    }
  }

  @Test
  void setWaitRefusesABadTimeoutWithExitTwo() {
    CommandRun run = config("set", "cc-wait-bad", "{\"interval\": 2, \"metrics\": []}", "--wait=0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().contains("--wait: invalid value \"0\": expected whole seconds from 1 to 3600");
  }

  @Test
  void initWritesTheLabDefaultForEachLabNodeAndSaysSoOnceEach() throws Exception {
    CommandRun run = config("init");

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).containsExactly(
        "[Config] Set /monitor/config/worker1 = " + DEFAULT,
        "[Config] Set /monitor/config/worker2 = " + DEFAULT,
        "[Config] Set /monitor/config/master = " + DEFAULT);
    for (String node : List.of("worker1", "worker2", "master")) {
      assertThat(ops.get("/monitor/config/" + node)).contains(DEFAULT);
    }
  }

  @Test
  void setStoresTheConfigAsPythonJsonDumpsWritesIt() throws Exception {
    CommandRun run = config("set", "cc-set", "{\"interval\":2,\"metrics\":[\"cpu\"]}");

    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).containsExactly("[Config] Set /monitor/config/cc-set = {\"interval\": 2, \"metrics\": [\"cpu\"]}");
    assertThat(ops.get("/monitor/config/cc-set")).contains("{\"interval\": 2, \"metrics\": [\"cpu\"]}");
  }

  @Test
  void setKeepsUnknownFieldsAndFractionalIntervalsInOrder() throws Exception {
    CommandRun run = config("set", "cc-extra", "{ \"interval\" : 2.5 , \"metrics\" : [] , \"owner\" : \"ops\u00e9\", \"x\": {\"y\": [true, null]} }");

    assertThat(run.exit()).isZero();
    assertThat(ops.get("/monitor/config/cc-extra"))
        .contains("{\"interval\": 2.5, \"metrics\": [], \"owner\": \"ops\\u00e9\", \"x\": {\"y\": [true, null]}}");
  }

  @Test
  void setAcceptsTheEndpointsBeforeTheSubcommandToo() throws Exception {
    CommandRun run = CommandRun.of("config", "--endpoints", etcd.endpoints(), "set", "cc-before", "{\"interval\": 1, \"metrics\": []}");

    assertThat(run.exit()).isZero();
    assertThat(ops.get("/monitor/config/cc-before")).contains("{\"interval\": 1, \"metrics\": []}");
  }

  @Test
  void setTakesTheEndpointsFromTheEnvironment() throws Exception {
    CommandRun run = CommandRun.withEnv(Map.of("ETCD_ENDPOINTS", etcd.endpoints()),
        "config", "set", "cc-env", "{\"interval\": 3, \"metrics\": [\"disk\"]}");

    assertThat(run.exit()).isZero();
    assertThat(ops.get("/monitor/config/cc-env")).contains("{\"interval\": 3, \"metrics\": [\"disk\"]}");
  }

  @Test
  void setRejectsBadInputWithOneLineExitTwoAndWritesNothing() throws Exception {
    Map<String, String> cases = Map.of(
        "{\"interval\": 2, \"metrics\": [\"cpu\"]", "JSON",
        "{\"interval\": 0, \"metrics\": [\"cpu\"]}", "interval",
        "{\"interval\": 86401, \"metrics\": [\"cpu\"]}", "interval",
        "{\"interval\": \"2\", \"metrics\": [\"cpu\"]}", "interval",
        "{\"interval\": 2, \"metrics\": \"x\"}", "metrics",
        "{\"interval\": 2, \"metrics\": [1]}", "metrics",
        "{\"interval\": 2}", "metrics",
        "[1, 2]", "JSON object",
        "", "JSON");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      CommandRun run = config("set", "cc-bad", c.getKey());

      assertThat(run.exit()).as(c.getKey()).isEqualTo(2);
      assertThat(run.out()).as(c.getKey()).isEmpty();
      assertThat(run.err()).as(c.getKey()).singleElement().asString()
          .startsWith("monitor-server config set: JSON: ").contains(c.getValue());
    }
    assertThat(ops.get("/monitor/config/cc-bad")).isEmpty();
  }

  @Test
  void setAndGetRejectABadNodeNameWithOneLineAndExitTwo() throws Exception {
    for (String node : List.of("a/b", "", "..", "-x", "a b", "a\nb", "x".repeat(254))) {
      CommandRun set = CommandRun.of("config", "set", "--endpoints", etcd.endpoints(), "--", node, "{\"interval\": 2, \"metrics\": []}");
      CommandRun get = CommandRun.of("config", "get", "--endpoints", etcd.endpoints(), "--", node);

      assertThat(set.exit()).as(node).isEqualTo(2);
      assertThat(set.err()).as(node).singleElement().asString()
          .startsWith("monitor-server config set: NODE: invalid node name ").endsWith("(see monitor-server config set --help)");
      assertThat(get.exit()).as(node).isEqualTo(2);
      assertThat(get.err()).as(node).singleElement().asString().contains("NODE");
    }
    assertThat(ops.revision()).as("nothing written").isEqualTo(revisionAfterClear());
  }

  private long revisionAfterClear() throws Exception {
    ops.clear();
    return ops.revision();
  }

  @Test
  void getPrintsTheStoredValueAsItIs() throws Exception {
    ops.put("/monitor/config/cc-get", "{\"interval\":5,\"metrics\":[\"cpu\"]}", 0);

    CommandRun run = config("get", "cc-get");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).containsExactly("{\"interval\":5,\"metrics\":[\"cpu\"]}");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void getOfAMissingConfigFailsWithOneLine() {
    CommandRun run = config("get", "cc-missing");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).singleElement().asString()
        .startsWith("monitor-server config get: no config at /monitor/config/cc-missing (the agent uses the default {'interval': 10");
  }

  @Test
  void anUnreachableEtcdFailsWithOneActionableLineWithinTenSeconds() throws Exception {
    String endpoint = "127.0.0.1:" + Ports.closed();
    for (List<String> args : List.of(
        List.of("config", "get", "cc-down", "--endpoints", endpoint),
        List.of("config", "set", "cc-down", "{\"interval\": 2, \"metrics\": []}", "--endpoints", endpoint),
        List.of("config", "init", "--endpoints", endpoint))) {
      long start = System.nanoTime();
      CommandRun run = CommandRun.of(args.toArray(String[]::new));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).as(args.toString()).isLessThan(Duration.ofSeconds(10));
      assertThat(run.exit()).as(args.toString()).isEqualTo(1);
      assertThat(run.out()).as(args.toString()).isEmpty();
      assertThat(run.err()).as(args.toString()).singleElement().asString()
          .startsWith("monitor-server config " + args.get(1) + ": cannot reach etcd at " + endpoint + " (from --endpoints): ")
          .endsWith("; check that etcd runs there and that --endpoints/ETCD_ENDPOINTS is right (if etcd uses TLS: https:// endpoints and --cacert)");
    }
  }

  @Test
  void configWithoutASubcommandIsAUsageError() {
    CommandRun run = CommandRun.of("config");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().contains("config");
  }

  @Test
  void configHelpExitsZero() {
    CommandRun run = CommandRun.of("config", "set", "--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).first().asString().startsWith("Usage: monitor-server config set");
  }
}
