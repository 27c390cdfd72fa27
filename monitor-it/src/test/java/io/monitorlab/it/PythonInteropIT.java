package io.monitorlab.it;

import static io.monitorlab.it.support.Match.exact;
import static io.monitorlab.it.support.Match.prefix;
import static io.monitorlab.it.support.Match.regex;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.EtcdDiagnostics;
import io.monitorlab.it.support.EtcdProbe;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Python;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Timing;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Our jars and the lab's Python scripts (python3-etcd3 0.12.0) on one etcd: each side understands
 * what the other writes, and prints the same console lines for the same values.
 */
@Timeout(90)
class PythonInteropIT {
  private static final Duration START = ofSeconds(30);
  private static final Duration TTL = ofSeconds(5);
  /** Re-dumps each argument as Python does, and describes the heartbeat's shape. */
  private static final String ROUND_TRIP = String.join("\n",
      "import json, sys, time",
      "for v in sys.argv[1:]:",
      "    d = json.loads(v)",
      "    print(json.dumps(d))",
      "    print(list(d), type(d['ts']).__name__, type(d['status']).__name__, type(d['hostname']).__name__,",
      "          abs(d['ts'] - time.time()) < 60)");
  /** Configs chosen to exercise repr: floats, quotes, escapes, non-ASCII, nesting, None/True/False, big ints. */
  private static final List<String> CONFIGS = List.of(
      "{\"interval\": 2, \"metrics\": [\"cpu\", \"memory\"]}",
      "{\"interval\": 2.5, \"metrics\": [\"it's\", \"say \\\"hi\\\"\", \"tab\\there\", \"back\\\\slash\", \"both ' and \\\"\"],"
          + " \"labels\": {\"zone\": \"eu-1\", \"tier\": null}, \"enabled\": true, \"debug\": false}",
      "{\"interval\": 3.0, \"metrics\": [], \"ratio\": 1e-05, \"big\": 1e+22, \"huge\": 12345678901234567890,"
          + " \"neg\": -0.0, \"third\": 0.1, \"nested\": [[1, 2.0], {\"a\": []}, \"x\"]}",
      "{\"metrics\": [\"disk\"], \"interval\": 86400, \"note\": \"\\u00e9t\\u00e9 \\u2603 \\ud83d\\ude00\"}");

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();
  @RegisterExtension final Processes processes = new Processes().reportOnFailure(EtcdDiagnostics.of(etcd));

  @BeforeAll
  static void requirePythonEtcd3() {
    Assumptions.assumeTrue(Python.hasEtcd3(),
        "skipped: " + Python.INTERPRETER + " cannot import etcd3; install Debian's python3-etcd3 (apt-get install -y python3-etcd3)");
  }

  @Test
  void ourMonitorSeesThePythonAgentAliveAndThenDeadAfterKill9() {
    String node = Nodes.unique("py-agent");
    RunningProcess monitor = processes.start("monitor", Command.server("--endpoints", etcd.endpoints()));
    monitor.awaitLine(prefix("[Status] Total alive: "), START);
    RunningProcess agent = processes.start(node, python("heartbeat.py").withEnv("NODE_NAME", node));
    agent.awaitLine(regex("\\[Heartbeat] Lease created with TTL 5 seconds, ID: \\d+"), START);
    agent.awaitLine(exact("[Heartbeat] Node: " + node + ", Key: /monitor/heartbeat/" + node), START);
    agent.awaitLine(exact("[Heartbeat] Sent for " + node), START);

    Line alive = monitor.awaitLine(regex(LabScenarioIT.aliveLine(node)), ofSeconds(10));
    Line status = monitor.awaitLineAfter(alive, prefix("[Status] Currently ALIVE nodes: "), ofSeconds(5));
    assertThat(status.text()).contains("'" + node + "'");

    long killed = agent.signal("KILL");
    Line dead = monitor.awaitLineAfter(alive, exact("[-] Node " + node + " DEAD (lease expired)"), ofSeconds(15));
    Duration toDead = Timing.report("kill -9 Python agent -> our monitor prints DEAD", dead.since(killed), TTL.plusSeconds(1));
    assertThat(toDead).isLessThanOrEqualTo(TTL.plusSeconds(1));
    assertThat(monitor.stdoutText()).as("an unannounced death is not a departure")
        .doesNotContain("[-] Node " + node + " LEFT (graceful shutdown)");
  }

  @Test
  void thePythonMonitorSeesOurAgentAliveAndThenDeadAfterKill9() {
    String node = Nodes.unique("java-agent");
    RunningProcess monitor = processes.start("python-monitor", python("monitor_heartbeat.py"));
    monitor.awaitLine(prefix("[Status] Total alive: "), START);
    RunningProcess agent = processes.start(node, Command.agent("--node", node, "--endpoints", etcd.endpoints()));

    Line alive = monitor.awaitLine(regex(LabScenarioIT.aliveLine(node)), START);
    agent.awaitLine(exact("[Heartbeat] Sent for " + node), ofSeconds(5));
    long killed = agent.signal("KILL");
    Line dead = monitor.awaitLineAfter(alive, exact("[-] Node " + node + " DEAD (lease expired)"), ofSeconds(15));

    Duration toDead = Timing.report("kill -9 our agent -> Python monitor prints DEAD", dead.since(killed), TTL.plusSeconds(1));
    assertThat(toDead).isLessThanOrEqualTo(TTL.plusSeconds(1));
    assertThat(monitor.stdoutMatching(prefix("[+] Node " + node + " "))).as("ALIVE once, refreshes are not news").hasSize(1);
  }

  @Test
  void theHeartbeatValuesOurAgentWritesReDumpIdenticallyThroughPythonJson() {
    String node = Nodes.unique("json");
    String key = "/monitor/heartbeat/" + node;
    List<String> values = new CopyOnWriteArrayList<>();
    Watch.Watcher watcher = etcd.client().getWatchClient().watch(ByteSequence.from(key, StandardCharsets.UTF_8),
        response -> response.getEvents().stream()
            .filter(e -> e.getEventType() == WatchEvent.EventType.PUT)
            .forEach(e -> values.add(e.getKeyValue().getValue().toString(StandardCharsets.UTF_8))));
    try {
      RunningProcess agent = processes.start(node,
          Command.agent("heartbeat", "--node", node, "--endpoints", etcd.endpoints(), "--ttl", "2"));
      Awaitility.await().atMost(START).until(() -> values.size() >= 4);
      agent.signal("TERM");
      assertThat(agent.awaitExit(ofSeconds(10))).isZero();
      Awaitility.await().atMost(ofSeconds(5)).until(() -> values.stream().anyMatch(v -> v.contains("\"leaving\"")));
    } finally {
      watcher.close();
    }

    List<String> args = new ArrayList<>(List.of(Python.INTERPRETER, "-c", ROUND_TRIP));
    args.addAll(values);
    RunningProcess python = processes.run("python-json", new Command(args, Map.of()), ofSeconds(30));
    assertThat(python.exitCode()).as("python json round trip; stderr %s", python.stderrText()).isZero();

    List<String> out = python.stdoutText();
    assertThat(out).hasSize(2 * values.size());
    for (int i = 0; i < values.size(); i++) {
      assertThat(out.get(2 * i)).as("json.dumps(json.loads(v)) == v").isEqualTo(values.get(i));
      assertThat(out.get(2 * i + 1)).as("keys, types and a current ts of %s", values.get(i))
          .isEqualTo("['status', 'ts', 'hostname'] float str str True");
    }
    assertThat(values).as("every refresh carries a fresh ts").doesNotHaveDuplicates();
    assertThat(values).allMatch(v -> v.endsWith(", \"hostname\": \"" + node + "\"}"))
        .anyMatch(v -> v.startsWith("{\"status\": \"alive\", \"ts\": "))
        .last().asString().startsWith("{\"status\": \"leaving\", \"ts\": ");
  }

  @Test
  void aConfigSetByOurServerIsPrintedByThePythonWatcherExactlyAsOurAgentPrintsIt() {
    String node = Nodes.unique("cfg");
    RunningProcess python = processes.start("python-config", python("load_json_config.py").withEnv("NODE_NAME", node));
    RunningProcess agent = processes.start(node, Command.agent("config-watch", "--node", node, "--endpoints", etcd.endpoints()));
    python.awaitLine(prefix("[Agent] Iteration 1: "), START);
    agent.awaitLine(prefix("[Agent] Iteration 1: "), START);
    assertThat(agent.stdoutText().subList(0, 5)).as("the start-up lines of the config part")
        .containsExactlyElementsOf(python.stdoutText().subList(0, 5))
        .contains("[Config] No config found at /monitor/config/" + node
            + ", using default: {'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}");
    List<String> pythonDumps = pythonDumps(CONFIGS);
    EtcdProbe probe = new EtcdProbe(etcd.client());

    Line lastPython = python.stdout().get(4);
    Line lastAgent = agent.stdout().get(4);
    for (int i = 0; i < CONFIGS.size(); i++) {
      RunningProcess set = processes.run("config-set-" + i,
          Command.server("config", "set", node, CONFIGS.get(i), "--endpoints", etcd.endpoints()), START);
      assertThat(set.exitCode()).as("config set %s; stderr %s", CONFIGS.get(i), set.stderrText()).isZero();
      assertThat(probe.value("/monitor/config/" + node)).as("stored as Python's json.dumps writes it")
          .hasValue(pythonDumps.get(i));
      lastPython = python.awaitLineAfter(lastPython, prefix("[Config] UPDATED config from etcd: "), ofSeconds(10));
      lastAgent = agent.awaitLineAfter(lastAgent, prefix("[Config] UPDATED config from etcd: "), ofSeconds(10));
      assertThat(lastAgent.text()).as("our agent's line for %s", CONFIGS.get(i)).isEqualTo(lastPython.text());
    }
  }

  @Test
  void anExistingConfigIsLoadedAndWorkedWithExactlyAsThePythonAgentDoes() {
    String node = Nodes.unique("loaded");
    String config = "{\"interval\": 30.0, \"metrics\": [\"it's\", \"tab\\there\", \"\\u00e9\"],"
        + " \"extra\": {\"on\": [true, false, null], \"ratio\": 0.1}}";
    RunningProcess put = processes.run("etcdctl-put",
        Command.etcdctl(etcd.endpoints(), "put", "/monitor/config/" + node, config), ofSeconds(15));
    assertThat(put.exitCode()).as("etcdctl put; stderr %s", put.stderrText()).isZero();
    RunningProcess python = processes.start("python-config", python("load_json_config.py").withEnv("NODE_NAME", node));
    RunningProcess agent = processes.start(node, Command.agent("config-watch", "--node", node, "--endpoints", etcd.endpoints()));
    python.awaitLine(prefix("[Agent] Iteration 1: "), START);
    agent.awaitLine(prefix("[Agent] Iteration 1: "), START);

    assertThat(python.stdoutText().get(3)).isEqualTo("[Agent] Iteration 1: interval=30.0s, metrics=[\"it's\", 'tab\\there', 'é']");
    List<String> agentLines = agent.stdoutText();
    assertThat(agentLines.stream().filter(l -> !l.startsWith("[Metrics] ")).limit(4))
        .as("start-up lines for a config written with etcdctl, the agent's own [Metrics] lines aside")
        .containsExactlyElementsOf(python.stdoutText().subList(0, 4));
    assertThat(agentLines).as("the agent measures what it knows and says once which names it does not")
        .contains("[Metrics] unknown metric \"it's\" ignored; known: cpu, disk, load, memory, network");
  }

  @Test
  void nonAsciiConfigValuesPrintAsPythonPrintsThemAlsoWithoutAUtf8Locale() {
    String node = Nodes.unique("posix");
    String config = "{\"interval\": 30, \"metrics\": [\"d\\u00e9bit\", \"\\u2603\"]}";
    RunningProcess python = processes.start("python-config",
        python("load_json_config.py").withEnv("NODE_NAME", node).withEnv("LANG", "C"));
    RunningProcess agent = processes.start(node,
        Command.agent("config-watch", "--node", node, "--endpoints", etcd.endpoints()).withEnv("LANG", "C"));
    python.awaitLine(prefix("[Agent] Iteration 1: "), START);
    agent.awaitLine(prefix("[Agent] Iteration 1: "), START);

    RunningProcess set = processes.run("config-set",
        Command.server("config", "set", node, config, "--endpoints", etcd.endpoints()), START);
    assertThat(set.exitCode()).as("config set; stderr %s", set.stderrText()).isZero();
    Line fromPython = python.awaitLine(prefix("[Config] UPDATED config from etcd: "), ofSeconds(10));
    Line fromAgent = agent.awaitLine(prefix("[Config] UPDATED config from etcd: "), ofSeconds(10));

    assertThat(fromPython.text()).isEqualTo("[Config] UPDATED config from etcd: {'interval': 30, 'metrics': ['débit', '☃']}");
    assertThat(fromAgent.text()).as("in the POSIX locale (LANG=C) Python still writes UTF-8 (PEP 538/540)")
        .isEqualTo(fromPython.text());
  }

  private List<String> pythonDumps(List<String> configs) {
    List<String> args = new ArrayList<>(List.of(Python.INTERPRETER, "-c",
        "import json, sys\nfor a in sys.argv[1:]:\n    print(json.dumps(json.loads(a)))"));
    args.addAll(configs);
    RunningProcess dumps = processes.run("python-dumps", new Command(args, Map.of()), ofSeconds(30));
    assertThat(dumps.exitCode()).as("python json.dumps; stderr %s", dumps.stderrText()).isZero();
    return dumps.stdoutText();
  }

  private static Command python(String script) {
    return Command.python(Python.script(script))
        .withEnv("ETCD_HOST", "127.0.0.1")
        .withEnv("ETCD_PORT", String.valueOf(etcd.member(0).clientPort()));
  }
}
