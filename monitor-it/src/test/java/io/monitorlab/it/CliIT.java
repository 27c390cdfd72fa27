package io.monitorlab.it;

import static io.monitorlab.it.support.Match.containing;
import static io.monitorlab.it.support.Match.prefix;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.RunningProcess;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Match;
import io.monitorlab.it.support.Timing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The jars as an operator meets them: exit codes, one-line errors for bad input, help, and an
 * unreachable etcd. Bad input never needs etcd: it is refused before any connection.
 */
@Timeout(120)
class CliIT {
  private static final Duration RUN = ofSeconds(30);
  /** Endpoints that are valid but never used: validation fails first. */
  private static final String NOWHERE = "127.0.0.1:9";
  private static final String LONG_NAME = "n".repeat(254);

  @RegisterExtension final Processes processes = new Processes();

  static Stream<Arguments> badAgentInput() {
    return Stream.of(
        bad("--node with a slash", "--node", agent("--node", "a/b")),
        bad("an empty --node", "--node", agent("--node", "")),
        bad("--node ..", "--node", agent("--node", "..")),
        bad("--node with a space", "--node", agent("--node", "a b")),
        bad("--node of 254 characters", "--node", agent("--node", LONG_NAME)),
        bad("--node with a newline", "--node", agent("--node", "a\nb")),
        bad("--ttl 1", "--ttl", agent("--node", "ok", "--ttl", "1")),
        bad("--ttl abc", "--ttl", agent("--node", "ok", "--ttl", "abc")),
        bad("--endpoints h:0", "--endpoints", Command.agent("--node", "ok", "--endpoints", "h:0")),
        bad("NODE_NAME=\"bad name\"", "NODE_NAME", Command.agent("--endpoints", NOWHERE).withEnv("NODE_NAME", "bad name")),
        bad("HEARTBEAT_TTL=0", "HEARTBEAT_TTL", agent("--node", "ok").withEnv("HEARTBEAT_TTL", "0")),
        bad("an unknown option", "--bogus", agent("--node", "ok", "--bogus")),
        bad("heartbeat --node a/b", "--node", agent("heartbeat", "--node", "a/b")),
        bad("config-watch --node ..", "--node", agent("config-watch", "--node", "..")));
  }

  static Stream<Arguments> badServerInput() {
    return Stream.of(
        bad("config set with interval 0", "interval",
            server("config", "set", "worker1", "{\"interval\": 0, \"metrics\": []}")),
        bad("config set with interval above a day", "interval",
            server("config", "set", "worker1", "{\"interval\": 86401, \"metrics\": []}")),
        bad("config set with metrics not strings", "metrics",
            server("config", "set", "worker1", "{\"interval\": 2, \"metrics\": [1]}")),
        bad("config set without metrics", "metrics", server("config", "set", "worker1", "{\"interval\": 2}")),
        bad("config set with a list", "object", server("config", "set", "worker1", "[1, 2]")),
        bad("config set with broken JSON", "JSON", server("config", "set", "worker1", "{\"interval\": 2,")),
        bad("config set for node a/b", "NODE", server("config", "set", "a/b", "{\"interval\": 2, \"metrics\": []}")),
        bad("config set without JSON", "JSON", server("config", "set", "worker1")),
        bad("config get for node ..", "NODE", server("config", "get", "..")),
        bad("--status-every 0", "--status-every", server("--status-every", "0")),
        bad("--endpoints h:0", "--endpoints", Command.server("--endpoints", "h:0")),
        bad("an unknown subcommand", "bogus", server("bogus")));
  }

  @ParameterizedTest(name = "agent refuses {0}")
  @MethodSource("badAgentInput")
  void theAgentRefusesBadInputWithOneLineAndExitCode2(String what, String names, Command command) {
    assertRefused(command, names);
  }

  @ParameterizedTest(name = "server refuses {0}")
  @MethodSource("badServerInput")
  void theServerRefusesBadInputWithOneLineAndExitCode2(String what, String names, Command command) {
    assertRefused(command, names);
  }

  @Test
  void helpAndVersionExitZeroWithTextOnStdout() {
    for (Command help : List.of(Command.agent("--help"), Command.agent("heartbeat", "--help"),
        Command.server("--help"), Command.server("config", "set", "--help"), Command.agent("--version"))) {
      RunningProcess p = processes.run("help", help, RUN);
      assertThat(p.exitCode()).as("%s exit code; stderr %s", help, p.stderrText()).isZero();
      assertThat(p.stdoutText()).as("%s stdout", help).isNotEmpty();
      assertThat(p.stderrText()).as("%s stderr", help).isEmpty();
    }
    assertThat(String.join("\n", processes.run("help", Command.agent("--help"), RUN).stdoutText()))
        .contains("Usage: monitor-agent", "--node", "NODE_NAME", "--endpoints", "ETCD_ENDPOINTS", "--ttl", "HEARTBEAT_TTL");
  }

  @Test
  void anAgentWithAnUnreachableEtcdWarnsInOneActionableLineKeepsRetryingAndStopsCleanlyOnSigterm() throws IOException {
    String endpoint = "127.0.0.1:" + closedPort();
    RunningProcess agent = processes.start("agent", Command.agent("--node", "cli-unreachable", "--endpoints", endpoint));
    Line first = agent.awaitStderrLine(containing("WARN"), RUN);
    Line again = agent.awaitLineAfter(first, containing("failures=2"), ofSeconds(20));

    long termed = agent.signal("TERM");
    int code = agent.awaitExit(ofSeconds(10));
    Duration toExit = Timing.report("SIGTERM -> exit of an agent that never reached etcd",
        Timing.between(termed, agent.exitedNanos()), ofSeconds(2));

    assertThat(first.text()).as("the first warning names the endpoint and what to check")
        .contains(endpoint).containsIgnoringCase("check");
    assertThat(first.text()).as("the jar's log set-up (StderrLogging): time, level, thread, class on stderr")
        .matches("\\d{2}:\\d{2}:\\d{2}\\.\\d{3} WARN  \\[[^\\]]+\\] \\w+ - .*");
    assertThat(again.text()).contains(endpoint);
    assertThat(agent.stderrText()).as("no stack traces")
        .noneMatch(l -> l.startsWith("\tat ") || l.trim().startsWith("at ") || l.startsWith("Caused by:"));
    assertThat(agent.stderrText()).as("every warning is actionable: it names the endpoint")
        .filteredOn(l -> l.contains(" WARN ")).allMatch(l -> l.contains(endpoint));
    assertThat(agent.stdoutText()).as("no heartbeat was claimed").noneMatch(l -> l.startsWith("[Heartbeat] Sent"));
    assertThat(code).isZero();
    assertThat(toExit).isLessThanOrEqualTo(ofSeconds(2));
  }

  @Test
  void aMonitorWithAnUnreachableEtcdWarnsInOneActionableLineAndStopsCleanlyOnSigterm() throws IOException {
    String endpoint = "127.0.0.1:" + closedPort();
    RunningProcess monitor = processes.start("monitor",
        Command.server("--endpoints", endpoint).withEnv("MONITOR_LOG_LEVEL", "chatty"));
    Line first = monitor.awaitStderrLine(Match.regex(".* WARN .*" + Pattern.quote(endpoint) + ".*"), RUN);
    monitor.awaitLineAfter(first, containing("failures=2"), ofSeconds(20));

    long termed = monitor.signal("TERM");
    int code = monitor.awaitExit(ofSeconds(10));
    Timing.report("SIGTERM -> exit of a monitor that never reached etcd", Timing.between(termed, monitor.exitedNanos()), ofSeconds(2));

    assertThat(first.text()).contains(endpoint).containsIgnoringCase("check");
    assertThat(monitor.stderrText()).as("a bad MONITOR_LOG_LEVEL is named and INFO used")
        .anyMatch(l -> l.endsWith("ignored MONITOR_LOG_LEVEL=chatty: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF;"
            + " logging at INFO"));
    assertThat(monitor.stdoutText()).as("no [Status] claims an empty fleet it could not see")
        .noneMatch(l -> l.startsWith("[Status]"));
    assertThat(monitor.stderrText()).noneMatch(l -> l.startsWith("\tat ") || l.startsWith("Caused by:"));
    assertThat(code).isZero();
    assertThat(Timing.between(termed, monitor.exitedNanos())).isLessThanOrEqualTo(ofSeconds(2));
  }

  private void assertRefused(Command command, String names) {
    RunningProcess p = processes.run("cli", command, RUN);
    assertThat(p.exitCode()).as("exit code of %s; stdout %s stderr %s", command, p.stdoutText(), p.stderrText()).isEqualTo(2);
    assertThat(p.stdoutText()).as("stdout of %s", command).isEmpty();
    assertThat(p.stderrText()).as("stderr of %s", command).hasSize(1);
    assertThat(p.stderrText().get(0)).as("the error names what was wrong")
        .contains(names)
        .doesNotContain("Exception", "at io.", "\tat ");
  }

  private static Arguments bad(String what, String names, Command command) {
    return Arguments.of(what, names, command);
  }

  private static Command agent(String... args) {
    String[] all = Stream.concat(Stream.of(args), Stream.of("--endpoints", NOWHERE)).toArray(String[]::new);
    return Command.agent(all);
  }

  private static Command server(String... args) {
    String[] all = Stream.concat(Stream.of(args), Stream.of("--endpoints", NOWHERE)).toArray(String[]::new);
    return Command.server(all);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
