package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static io.monitorlab.server.EtcdOps.leaving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.test.EtcdCluster;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MonitorCommandTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  private static final String EMPTY = "[Status] Currently ALIVE nodes: []";
  private static final String NONE = "[Status] Total alive: 0";
  /** Long enough that no periodic pair lands between the lines a test checks in order. */
  private static final String QUIET = "3600";

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  private MonitorRun startMonitor() {
    MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", QUIET);
    run.awaitLine(NONE);
    return run;
  }

  private static String aliveLine(String node) {
    return "[+] Node " + node + " ALIVE -> " + alive(node);
  }

  private static String dead(String node) {
    return "[-] Node " + node + " DEAD (lease expired)";
  }

  /** Waits for the node's ALIVE line and the status pair after it; returns the index of the next line. */
  private static int awaitAlive(MonitorRun run, String node) {
    int next = run.awaitLine(aliveLine(node)) + 3;
    run.awaitLines(next);
    return next;
  }

  /**
   * Puts a sentinel node and waits for its ALIVE line and the status pair after it: every event
   * before its put has been handled by then.
   */
  private void sync(MonitorRun run, String sentinel) throws Exception {
    ops.beat(sentinel, 30);
    awaitAlive(run, sentinel);
  }

  @Test
  void startsWithTheHeaderAndAnEmptyStatusAndStopsWithExitZero() throws Exception {
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints())) {
      run.awaitLines(6);

      assertThat(run.lines()).hasSize(6);
      assertThat(run.lines().subList(0, 3)).containsExactly(
          "[Monitor] Starting heartbeat monitor...",
          "[Monitor] Watching prefix: /monitor/heartbeat/",
          "[Monitor] etcd endpoint: " + etcd.endpoints());
      assertThat(run.lines().get(3)).matches("\\[Monitor\\] HTTP on http://127\\.0\\.0\\.1:\\d+/ \\(dashboard /, API /api/v1/nodes, Prometheus /metrics\\)");
      assertThat(run.lines().subList(4, 6)).containsExactly(EMPTY, NONE);
      assertThat(run.stop()).isZero();
      assertThat(run.errLines()).isEmpty();
    }
  }

  @Test
  void reportsANewNodeAliveWithItsExactValueThenTheStatus() throws Exception {
    try (MonitorRun run = startMonitor()) {
      int start = run.lines().size();

      ops.beat("mc-new", 30);
      run.awaitLine(aliveLine("mc-new"));

      run.awaitLines(start + 3);
      assertThat(run.linesFrom(start)).containsExactly(
          aliveLine("mc-new"), "[Status] Currently ALIVE nodes: ['mc-new']", "[Status] Total alive: 1");
    }
  }

  @Test
  void refreshesOfAnAliveNodePrintNothing() throws Exception {
    try (MonitorRun run = startMonitor()) {
      long lease = ops.beat("mc-refresh", 30);
      int after = awaitAlive(run, "mc-refresh");

      for (int i = 1; i <= 3; i++) {
        ops.put(heartbeatKey("mc-refresh"), alive("mc-refresh").replace("1732400000.123456", "173240000" + i + ".5"), lease);
      }
      sync(run, "mc-refresh-sentinel");

      assertThat(run.linesFrom(after)).containsExactly(aliveLine("mc-refresh-sentinel"),
          "[Status] Currently ALIVE nodes: ['mc-refresh', 'mc-refresh-sentinel']", "[Status] Total alive: 2");
    }
  }

  @Test
  void reportsDeadWhenTheLeaseIsRevoked() throws Exception {
    try (MonitorRun run = startMonitor()) {
      long lease = ops.beat("mc-revoked", 30);
      int after = awaitAlive(run, "mc-revoked");

      ops.revoke(lease);

      run.awaitLines(after + 3);
      assertThat(run.linesFrom(after)).containsExactly(dead("mc-revoked"), EMPTY, NONE);
    }
  }

  @Test
  void reportsDeadWhenTheLeaseExpires() throws Exception {
    try (MonitorRun run = startMonitor()) {
      ops.beat("mc-expired", 2);
      run.awaitLine(aliveLine("mc-expired"));

      await().atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(run.lines()).endsWith(dead("mc-expired"), EMPTY, NONE));
    }
  }

  @Test
  void reportsLeftWhenTheNodeSaysItIsLeavingBeforeItsLeaseIsRevoked() throws Exception {
    try (MonitorRun run = startMonitor()) {
      long lease = ops.beat("mc-left", 30);
      int after = awaitAlive(run, "mc-left");

      ops.put(heartbeatKey("mc-left"), leaving("mc-left"), lease);
      ops.revoke(lease);

      run.awaitLine("[-] Node mc-left LEFT (graceful shutdown)");
      run.awaitLines(after + 3);
      assertThat(run.linesFrom(after)).containsExactly("[-] Node mc-left LEFT (graceful shutdown)", EMPTY, NONE);
    }
  }

  @Test
  void reportsANodeAliveAgainAfterItDied() throws Exception {
    try (MonitorRun run = startMonitor()) {
      ops.revoke(ops.beat("mc-again", 30));
      run.awaitLine(dead("mc-again"));

      ops.beat("mc-again", 30);

      await().atMost(MonitorRun.AWAIT).untilAsserted(() -> assertThat(run.count(aliveLine("mc-again"))).isEqualTo(2));
    }
  }

  @Test
  void printsNodesThatAlreadyHaveKeysAliveAtStart() throws Exception {
    ops.beat("mc-pre-b", 30);
    ops.beat("mc-pre-a", 30);

    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", QUIET)) {
      run.awaitLines(8);

      assertThat(run.linesFrom(4)).containsExactly(
          aliveLine("mc-pre-a"),
          aliveLine("mc-pre-b"),
          "[Status] Currently ALIVE nodes: ['mc-pre-a', 'mc-pre-b']",
          "[Status] Total alive: 2");
    }
  }

  @Test
  void printsAForeignKeyAndValueEscaped() throws Exception {
    try (MonitorRun run = startMonitor()) {
      int after = run.lines().size();

      ops.put(heartbeatKey("a b/c\n[+] Node x"), "up\n[-] Node worker1 DEAD (lease expired)", 0);
      run.awaitLines(after + 3);
      ops.delete(heartbeatKey("a b/c\n[+] Node x"));
      run.awaitLines(after + 6);

      String shown = "a\\x20b\\x2fc\\x0a\\x5b\\x2b\\x5d\\x20Node\\x20x";
      assertThat(run.linesFrom(after)).containsExactly(
          "[+] Node " + shown + " ALIVE -> up\\x0a[-] Node worker1 DEAD (lease expired)",
          "[Status] Currently ALIVE nodes: ['" + shown + "']",
          "[Status] Total alive: 1",
          "[-] Node " + shown + " DEAD (lease expired)",
          EMPTY,
          NONE);
    }
  }

  @Test
  void keysOutsideTheHeartbeatPrefixAreIgnored() throws Exception {
    try (MonitorRun run = startMonitor()) {
      int after = run.lines().size();

      ops.put("/monitor/heartbeat", "no slash", 0);
      ops.put("/monitor/config/mc-outside", "{\"interval\": 2, \"metrics\": []}", 0);
      ops.put("/monitor/heartbeatx/mc-outside", alive("mc-outside"), 0);
      sync(run, "mc-outside-sentinel");

      assertThat(run.linesFrom(after)).containsExactly(aliveLine("mc-outside-sentinel"),
          "[Status] Currently ALIVE nodes: ['mc-outside-sentinel']", "[Status] Total alive: 1");
    }
  }

  @Test
  void aCompactionWhileTheWatchRunsDoesNotBreakIt() throws Exception {
    try (MonitorRun run = startMonitor()) {
      long lease = ops.beat("mc-compact", 30);
      int after = awaitAlive(run, "mc-compact");
      for (int i = 0; i < 5; i++) {
        ops.put("/monitor/other/mc-compact", "v" + i, 0);
      }

      ops.compactAll();
      ops.revoke(lease);
      ops.beat("mc-compact-after", 30);

      // One status pair per event: the watch went on (a new listing would report both with one pair).
      awaitAlive(run, "mc-compact-after");
      assertThat(run.linesFrom(after)).containsExactly(
          dead("mc-compact"), EMPTY, NONE,
          aliveLine("mc-compact-after"), "[Status] Currently ALIVE nodes: ['mc-compact-after']", "[Status] Total alive: 1");
    }
  }

  @Test
  void aCompactionOfMissedRevisionsLeadsToOneListingThatReportsTheDifference() throws Exception {
    long gone = ops.beat("mc-missed-gone", 30);
    ops.beat("mc-missed-kept", 30);
    try (TcpProxy proxy = new TcpProxy(etcd.member(0).clientPort());
        MonitorRun run = MonitorRun.start("--endpoints", proxy.endpoint(), "--status-every", QUIET)) {
      run.awaitLine("[Status] Total alive: 2");
      int before = run.lines().size();

      proxy.cut();
      ops.revoke(gone);
      ops.beat("mc-missed-new", 30);
      ops.put("/monitor/other/mc-missed", "later than every heartbeat event", 0);
      ops.compactAll();
      proxy.restore();

      run.awaitLine(aliveLine("mc-missed-new"));
      run.awaitLines(before + 4);
      assertThat(run.linesFrom(before)).containsExactly(
          "[-] Node mc-missed-gone DEAD (heartbeat key missing when listed again)",
          aliveLine("mc-missed-new"),
          "[Status] Currently ALIVE nodes: ['mc-missed-kept', 'mc-missed-new']",
          "[Status] Total alive: 2");

      sync(run, "mc-missed-sentinel");
      assertThat(run.linesFrom(before + 4)).containsExactly(aliveLine("mc-missed-sentinel"),
          "[Status] Currently ALIVE nodes: ['mc-missed-kept', 'mc-missed-new', 'mc-missed-sentinel']",
          "[Status] Total alive: 3");
    }
  }

  @Test
  @Tag("fault")
  void resumesItsWatchAfterEtcdRestartsWithoutRepeatingOrMissingEvents() throws Exception {
    long lease = ops.beat("mc-restart", 30);
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", QUIET)) {
      int after = awaitAlive(run, "mc-restart");

      etcd.restart(0);
      ops.revoke(lease);
      ops.beat("mc-restart-after", 30);

      // Resumed from the last revision seen: each event on its own, nothing repeated.
      awaitAlive(run, "mc-restart-after");
      assertThat(run.linesFrom(after)).containsExactly(
          dead("mc-restart"), EMPTY, NONE,
          aliveLine("mc-restart-after"), "[Status] Currently ALIVE nodes: ['mc-restart-after']", "[Status] Total alive: 1");
    }
  }

  @Test
  void printsTheStatusPairEveryPeriod() throws Exception {
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "1")) {
      run.awaitLine(NONE);
      ops.beat("mc-periodic", 30);

      await().atMost(Duration.ofSeconds(6)).untilAsserted(
          () -> assertThat(run.count("[Status] Currently ALIVE nodes: ['mc-periodic']")).isGreaterThanOrEqualTo(3));
      assertThat(run.count(aliveLine("mc-periodic"))).isEqualTo(1);
    }
  }
}
