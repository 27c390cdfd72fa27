package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.cli.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input never reaches etcd: one line on stderr, exit 2. */
@Timeout(30)
class AgentCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> env, String... args) {
    return AgentCommand.commandLine(env, StopSignal.manual())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a/b", "..", ".hidden", "-dash", "a b", "tab\there", "new\nline", "café", "/"})
  void refusesABadNodeNameWithOneLineAndExitTwo(String node) {
    assertThat(run(Map.of(), "--node", node, "--endpoints", "127.0.0.1:1")).isEqualTo(2);
    assertThat(out.toString()).isEmpty();
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("--node: invalid node name").doesNotContain("Exception");
  }

  @Test
  void refusesANodeNameLongerThan253Characters() {
    assertThat(run(Map.of(), "--node", "a".repeat(254))).isEqualTo(2);
    assertThat(err.toString()).contains("--node: invalid node name").contains("254 characters");
  }

  @Test
  void refusesABadNodeNameFromTheEnvironmentNamingTheVariable() {
    assertThat(run(Map.of("NODE_NAME", "bad name"), "heartbeat")).isEqualTo(2);
    assertThat(err.toString()).startsWith("monitor-agent heartbeat: NODE_NAME: invalid node name \"bad name\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1", "0", "-5", "abc", "3601", "2.5"})
  void refusesATtlOutsideTwoTo3600Seconds(String ttl) {
    assertThat(run(Map.of(), "--node", "w1", "--ttl", ttl)).isEqualTo(2);
    assertThat(err.toString()).contains("--ttl: invalid value").contains("expected whole seconds from 2 to 3600");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void refusesABadTtlFromTheEnvironmentNamingTheVariable() {
    assertThat(run(Map.of("HEARTBEAT_TTL", "x"), "--node", "w1")).isEqualTo(2);
    assertThat(err.toString()).contains("HEARTBEAT_TTL: invalid value \"x\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"h:0", "h:99999", "h:x", "a,,b", "ftp://h:1", ":2379"})
  void refusesBadEndpoints(String endpoints) {
    assertThat(run(Map.of(), "--node", "w1", "--endpoints", endpoints)).isEqualTo(2);
    assertThat(err.toString()).contains("--endpoints: ");
    assertThat(err.toString().strip().lines()).hasSize(1);
  }

  @Test
  void refusesBadEndpointsFromTheEnvironment() {
    assertThat(run(Map.of("ETCD_HOST", "h", "ETCD_PORT", "abc"), "--node", "w1")).isEqualTo(2);
    assertThat(err.toString()).contains("ETCD_PORT: invalid endpoint");
  }

  @Test
  void refusesAnUnknownHeartbeatMode() {
    assertThat(run(Map.of(), "--node", "w1", "--heartbeat-mode", "sometimes")).isEqualTo(2);
    assertThat(err.toString()).contains("--heartbeat-mode: invalid value \"sometimes\": expected refresh or lease");
    assertThat(run(Map.of("HEARTBEAT_MODE", "x"), "--node", "w1")).isEqualTo(2);
    assertThat(err.toString()).contains("HEARTBEAT_MODE: invalid value \"x\"");
  }

  @Test
  void refusesMetricRootsThatAreNoDirectoryNamingWhereTheyCameFrom() {
    assertThat(run(Map.of("PROC_ROOT", "/no/such/proc"), "--node", "w1")).isEqualTo(2);
    assertThat(err.toString()).contains("PROC_ROOT: invalid value \"/no/such/proc\": expected a directory");
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(run(Map.of("HOST_ROOT", "/"), "--node", "w1", "--rootfs", "/no/such/root")).isEqualTo(2);
    assertThat(err.toString()).contains("--rootfs: invalid value \"/no/such/root\": expected a directory");
    assertThat(run(Map.of("SYS_ROOT", "/no/such/sys"), "--node", "w1")).isEqualTo(2);
    assertThat(err.toString()).contains("SYS_ROOT: invalid value \"/no/such/sys\": expected a directory");
  }

  @Test
  void helpNamesTheMetricRootsAndTheirVariables() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("--proc-root", "PROC_ROOT", "--sys-root", "SYS_ROOT", "--rootfs", "HOST_ROOT");
  }

  @Test
  void refusesAnUnknownOption() {
    assertThat(run(Map.of(), "--frobnicate")).isEqualTo(2);
    assertThat(err.toString().strip().lines()).hasSize(1);
    assertThat(err.toString()).contains("Unknown option: '--frobnicate'");
  }

  @Test
  void printsHelpWithEveryOptionAndExitsZero() {
    assertThat(run(Map.of(), "--help")).isZero();
    assertThat(out.toString()).contains("--node", "--endpoints", "--ttl", "heartbeat", "config-watch",
        "NODE_NAME", "ETCD_ENDPOINTS", "HEARTBEAT_TTL", "--heartbeat-mode", "HEARTBEAT_MODE");
  }

  @Test
  void subcommandsHaveHelpToo() {
    assertThat(run(Map.of(), "heartbeat", "--help")).isZero();
    assertThat(out.toString()).contains("Runs only the heartbeat").contains("--ttl");
  }
}
