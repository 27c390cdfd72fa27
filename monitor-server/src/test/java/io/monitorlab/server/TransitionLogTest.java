package io.monitorlab.server;

import static io.monitorlab.server.EtcdOps.alive;
import static io.monitorlab.server.EtcdOps.heartbeatKey;
import static io.monitorlab.server.EtcdOps.leaving;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import io.monitorlab.common.test.EtcdCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransitionLogTest {
  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.single();

  @TempDir Path dir;

  private List<JsonNode> read(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        out.add(Json.parse(line));
      }
    }
    return out;
  }

  @Test
  void writesOneJsonLinePerTransitionWithStateReasonAndRevision() throws Exception {
    EtcdOps ops = new EtcdOps(etcd.client());
    ops.clear();
    long present = ops.beat("tl-present", 30);
    Path file = dir.resolve("transitions.jsonl");
    long deadRev;
    long leftRev;
    try (MonitorRun run = MonitorRun.start("--endpoints", etcd.endpoints(), "--transition-log", file.toString())) {
      run.awaitLine("[Status] Total alive: 1");
      long gone = ops.beat("tl-gone", 30);
      run.awaitLine("[+] Node tl-gone ALIVE -> " + alive("tl-gone"));
      deadRev = ops.revoke(gone);
      ops.put(heartbeatKey("tl-present"), leaving("tl-present"), present);
      leftRev = ops.revoke(present);
      run.awaitLine("[-] Node tl-present LEFT (graceful shutdown)");
      await().atMost(Duration.ofSeconds(5)).until(() -> read(file).size() == 4);
    }
    List<JsonNode> lines = read(file);
    assertThat(lines.stream().map(l -> l.get("node").asText() + " " + l.get("state").asText() + " " + l.get("source").asText()))
        .containsExactly("tl-present ALIVE list", "tl-gone ALIVE watch", "tl-gone DEAD watch", "tl-present LEFT watch");
    assertThat(lines.get(2).get("reason").asText()).isEqualTo("lease expired");
    assertThat(lines.get(2).get("revision").asLong()).isEqualTo(deadRev);
    assertThat(lines.get(3).get("reason").asText()).isEqualTo("graceful shutdown");
    assertThat(lines.get(3).get("revision").asLong()).isEqualTo(leftRev);
    assertThat(Instant.parse(lines.get(3).get("time").asText())).isBefore(Instant.now());
  }

  @Test
  void refusesAFileItCannotWriteWithOneLineAndExitTwo() {
    CommandRun run = CommandRun.of("--endpoints", etcd.endpoints(), "--transition-log", dir.resolve("no/such/dir/t.jsonl").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).singleElement().asString().startsWith("monitor-server: --transition-log: cannot write \"");
  }
}
