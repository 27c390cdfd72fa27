package io.monitorlab.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The monitor command's options, exit codes and behaviour without a reachable etcd. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MonitorUsageTest {
  @Test
  void keepsTryingWhileEtcdIsUnreachableAndStopsCleanly() throws Exception {
    String endpoint = "127.0.0.1:" + Ports.closed();
    MonitorRun run = MonitorRun.start("--endpoints", endpoint, "--http", "off");
    run.awaitLines(3);

    assertThat(run.isRunning()).isTrue();
    assertThat(run.stop()).isZero();
    assertThat(run.lines()).as("the header, and no status without etcd").containsExactly(
        "[Monitor] Starting heartbeat monitor...",
        "[Monitor] Watching prefix: /monitor/heartbeat/",
        "[Monitor] etcd endpoint: " + endpoint);
    assertThat(run.errLines()).isEmpty();
  }

  @Test
  void rejectsABadEndpointWithOneLineAndExitTwo() {
    CommandRun run = CommandRun.of("--endpoints", "h:0");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).singleElement().asString().contains("--endpoints").contains("h:0");
  }

  @Test
  void rejectsABadEndpointFromTheEnvironmentNamingTheVariable() {
    CommandRun run = CommandRun.withEnv(Map.of("ETCD_ENDPOINTS", "127.0.0.1:99999"));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().contains("ETCD_ENDPOINTS");
  }

  @Test
  void rejectsAStatusPeriodOutOfRange() {
    for (String bad : List.of("0", "-1", "3601", "x", "")) {
      CommandRun run = CommandRun.of("--endpoints", "127.0.0.1:2379", "--status-every", bad);

      assertThat(run.exit()).as(bad).isEqualTo(2);
      assertThat(run.out()).as(bad).isEmpty();
      assertThat(run.err()).as(bad).singleElement().asString().contains("--status-every");
    }
    CommandRun fromEnv = CommandRun.withEnv(Map.of("STATUS_EVERY", "0", "ETCD_ENDPOINTS", "127.0.0.1:2379"));
    assertThat(fromEnv.exit()).isEqualTo(2);
    assertThat(fromEnv.err()).singleElement().asString().contains("STATUS_EVERY");
  }

  @Test
  void rejectsAnUnknownOptionWithOneLineAndExitTwo() {
    CommandRun run = CommandRun.of("--no-such-option");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).singleElement().asString().contains("--no-such-option");
  }

  @Test
  void printsHelpAndExitsZero() {
    CommandRun run = CommandRun.of("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).first().asString().startsWith("Usage: monitor-server");
    assertThat(String.join("\n", run.out())).contains("--endpoints", "--status-every", "config", "status");
    assertThat(run.err()).isEmpty();
  }
}
