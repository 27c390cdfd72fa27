package io.monitorlab.server;

import io.monitorlab.server.fleet.FleetWatch;

import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.test.EtcdCluster;
import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live node's lease revoked by etcd (as a resumed stale leader of etcd before 3.4.28 does) is not a
 * death when the node writes its key again at once; a deletion that is not undone is still a death.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RevokedLiveLeaseTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  @TempDir Path dir;

  private EtcdOps ops;

  @BeforeEach
  void clearKeys() throws Exception {
    ops = new EtcdOps(etcd.client());
    ops.clear();
  }

  /** Two heartbeats 2.5 s apart on the node's clock (the agent's cadence), the last one now. */
  private long beatingSteadily(String node) throws Exception {
    long lease = ops.grant(60);
    Instant now = Instant.now();
    ops.put(heartbeatKey(node), Heartbeat.alive(node, now.minusMillis(2500)).toJson(), lease);
    ops.put(heartbeatKey(node), Heartbeat.alive(node, now).toJson(), lease);
    return lease;
  }

  @Test
  void aNodeWhoseLeaseIsRevokedAndWhoWritesItsKeyAgainAtOnceIsNotReportedDead() throws Exception {
    Path log = dir.resolve("transitions.jsonl");
    long revoked;
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600", "--transition-log", log.toString())) {
      run.awaitLine("[Status] Total alive: 0");
      long lease = beatingSteadily("rl-kept");
      run.awaitLine("[Status] Total alive: 1");
      int before = run.lines().size();

      revoked = ops.revoke(lease);
      ops.put(heartbeatKey("rl-kept"), Heartbeat.alive("rl-kept", Instant.now()).toJson(), ops.grant(60));
      await().atMost(MonitorRun.AWAIT).until(() -> run.linesFrom(before).stream()
          .anyMatch(l -> l.startsWith("[Monitor] Node rl-kept still ALIVE: etcd deleted its heartbeat key ")));

      assertThat(run.linesFrom(before)).noneMatch(l -> l.startsWith("[-]") || l.startsWith("[+]"));
      assertThat(run.linesFrom(before)).filteredOn(l -> l.startsWith("[Monitor]")).singleElement().asString()
          .contains("too soon for its lease to expire");
    }
    // An operator diffing the log against an etcdctl watch record sees why that DELETE made no DEAD.
    List<String> states = new ArrayList<>();
    for (String line : Files.readAllLines(log)) {
      JsonNode j = Json.parse(line);
      states.add(j.get("state").asText() + (j.get("state").asText().equals("KEPT") ? " " + j.get("revision").asLong() : ""));
    }
    assertThat(states).containsExactly("ALIVE", "KEPT " + revoked);
  }

  @Test
  void aDeletionTooSoonForAnExpiryThatIsNotUndoneIsReportedDeadAfterTheGrace() throws Exception {
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--status-every", "3600")) {
      run.awaitLine("[Status] Total alive: 0");
      long lease = beatingSteadily("rl-gone");
      ops.beat("rl-other", 60);
      run.awaitLine("[Status] Total alive: 2");
      int before = run.lines().size();

      long revoked = System.nanoTime();
      ops.revoke(lease);
      run.awaitLine("[-] Node rl-gone DEAD (lease expired)");
      Duration took = Duration.ofNanos(System.nanoTime() - revoked);

      assertThat(took).as("held for the grace, then reported").isGreaterThanOrEqualTo(FleetWatch.REVOKE_GRACE)
          .isLessThan(FleetWatch.REVOKE_GRACE.plusSeconds(2));
      assertThat(run.linesFrom(before)).startsWith("[-] Node rl-gone DEAD (lease expired)", "[Status] Currently ALIVE nodes: ['rl-other']");
    }
  }
}
