package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ConsoleTest {
  @Test
  void bothDeadLinesNameTheirNode() {
    assertThat(Console.deadNode("[-] Node worker1 DEAD (lease expired)")).contains("worker1");
    assertThat(Console.deadNode("[-] Node w.2 DEAD (registered but no heartbeat key)")).contains("w.2");
  }

  @Test
  void otherLinesAreNotDeadLines() {
    assertThat(Console.deadNode("[-] Node worker1 LEFT (graceful shutdown)")).isEmpty();
    assertThat(Console.deadNode("[-] Node  DEAD (lease expired)")).isEmpty();
    assertThat(Console.deadNode("[+] Node worker1 ALIVE -> {}")).isEmpty();
  }

  @Test
  void theAliveCountIsReadFromTheTotalLineOnly() {
    assertThat(Console.aliveCount("[Status] Total alive: 10000")).isEqualTo(10_000);
    assertThat(Console.aliveCount("[Status] Currently ALIVE nodes: []")).isEqualTo(-1);
    assertThat(Console.aliveCount("[Status] Total alive: many")).isEqualTo(-1);
  }

  @Test
  void theAgentsStartLinesAreMatchedForItsOwnNode() {
    assertThat(Console.watcherStarting("w1")).accepts("[Agent] Starting config watcher for node: w1")
        .rejects("[Agent] Starting config watcher for node: w10");
    assertThat(Console.leaseCreated()).accepts("[Heartbeat] Lease created with TTL 5 seconds, ID: 7")
        .rejects("[Heartbeat] Sent for w1");
  }
}
