package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.NodeConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WorkLoopTest {
  private final Lines out = new Lines();
  private final java.util.List<String> published = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ConfigState state = new ConfigState(NodeConfig.DEFAULT);
  private final WorkLoop loop = new WorkLoop(state, new AgentPrinter(out.writer()),
      new MetricsCollector(MetricRoots.HOST, java.time.Clock.systemUTC()), published::add);
  private final Thread thread = new Thread(loop, "work-test");


  /** The work loop's own lines; each is followed by one [Metrics] line. */
  private java.util.List<String> iterations() {
    return out.all().stream().filter(l -> l.startsWith("[Agent]")).toList();
  }

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
    thread.join(2000);
    assertThat(thread.isAlive()).isFalse();
  }

  @Test
  void waitsForTheInitialConfigBeforeTheFirstIteration() throws Exception {
    thread.start();
    assertThat(iterations()).isEmpty();
    state.install(config("{\"interval\": 10, \"metrics\": [\"cpu\"]}"));
    state.markLoaded();
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(iterations()).containsExactly("[Agent] Iteration 1: interval=10s, metrics=['cpu']"));
    await().atMost(Duration.ofSeconds(2)).until(() -> out.all().size() == 2);
    assertThat(out.all().get(1)).matches("\\[Metrics\\] cpu=(\\d+\\.\\d%|-)");
    assertThat(published).singleElement().asString().startsWith("{\"ts\": ").contains("\"cpu\": ");
  }

  @Test
  void anUnknownMetricIsReportedOncePerConfigAndNeverRejectsIt() throws Exception {
    state.install(config("{\"interval\": 0.2, \"metrics\": [\"gpu\", \"load\"]}"));
    state.markLoaded();
    thread.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> iterations().size() >= 3);
    assertThat(out.all()).filteredOn(l -> l.startsWith("[Metrics] unknown"))
        .containsExactly("[Metrics] unknown metric 'gpu' ignored; known: cpu, disk, load, memory, network");
    assertThat(out.all().subList(0, 3)).as("said before the config's first iteration, which is followed by one line")
        .containsExactly("[Metrics] unknown metric 'gpu' ignored; known: cpu, disk, load, memory, network",
            "[Agent] Iteration 1: interval=0.2s, metrics=['gpu', 'load']", out.all().get(2));
    assertThat(out.all().get(2)).startsWith("[Metrics] load=");
    assertThat(out.all()).filteredOn(l -> l.startsWith("[Metrics] load=")).hasSizeGreaterThanOrEqualTo(3);

    state.install(config("{\"interval\": 0.2, \"metrics\": [\"gpu\", \"tpu\", \"gpu\"]}"));
    await().atMost(Duration.ofSeconds(5)).until(() -> out.matching("[Metrics] unknown").size() == 3);
    assertThat(out.matching("[Metrics] unknown")).as("once per config, each name once").endsWith(
        "[Metrics] unknown metric 'gpu' ignored; known: cpu, disk, load, memory, network",
        "[Metrics] unknown metric 'tpu' ignored; known: cpu, disk, load, memory, network");
  }

  @Test
  void anUpdateTakesEffectWithoutWaitingOutTheOldInterval() throws Exception {
    state.markLoaded();
    thread.start();
    await().atMost(Duration.ofSeconds(2)).until(() -> iterations().size() == 1);
    long updated = System.nanoTime();
    state.install(config("{\"interval\": 0.3, \"metrics\": [\"cpu\", \"memory\"]}"));
    await().atMost(Duration.ofSeconds(3)).until(() -> iterations().size() >= 3);
    long elapsedMs = (System.nanoTime() - updated) / 1_000_000;
    assertThat(iterations().get(1)).isEqualTo("[Agent] Iteration 2: interval=0.3s, metrics=['cpu', 'memory']");
    // Two new-interval iterations after the update: far less than the old 10 s interval.
    assertThat(elapsedMs).isLessThan(2000);
  }

  @Test
  void aLongerIntervalDoesNotPostponeTheIterationAlreadyDue() throws Exception {
    state.install(config("{\"interval\": 0.5, \"metrics\": []}"));
    state.markLoaded();
    thread.start();
    await().atMost(Duration.ofSeconds(2)).until(() -> iterations().size() == 1);
    state.install(config("{\"interval\": 60, \"metrics\": []}"));
    await().atMost(Duration.ofSeconds(2)).until(() -> iterations().size() == 2);
    assertThat(iterations().get(1)).isEqualTo("[Agent] Iteration 2: interval=60s, metrics=[]");
  }

  @Test
  void stopWakesTheLoopAtOnce() throws Exception {
    state.markLoaded();
    thread.start();
    await().atMost(Duration.ofSeconds(2)).until(() -> iterations().size() == 1);
    long t0 = System.nanoTime();
    loop.stop();
    thread.join(2000);
    assertThat(thread.isAlive()).isFalse();
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(500);
  }

  private static NodeConfig config(String json) throws NodeConfig.InvalidConfigException {
    return NodeConfig.parse(json);
  }
}
