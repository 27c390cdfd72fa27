package io.monitorlab.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetMirrorTest {
  private final List<Integer> listedNodes = new ArrayList<>();
  private final FleetMirror mirror = new FleetMirror(new EventStream(), m -> listedNodes.add(m.snapshot().length));

  private static FleetEvent changed(String node) {
    return new FleetEvent.NodeChanged(new NodeView(node, NodeState.ALIVE, 1.0, 1.0, null, 0, null, null, null));
  }

  @Test
  void theFirstListingIsAnnouncedOnceWithTheNodesOfItsBatchAlreadyMirrored() {
    mirror.accept(List.of(changed("w1")));
    assertThat(listedNodes).isEmpty();

    mirror.accept(List.of(changed("w2"), new FleetEvent.Listed(5, 0, true, List.of("w1", "w2")), changed("w3")));
    mirror.accept(List.of(new FleetEvent.Listed(9, 0, false, List.of("w1", "w2", "w3"))));

    assertThat(listedNodes).containsExactly(3);
    assertThat(mirror.notReady()).isEmpty();
  }

  @Test
  void theWarmUpLeavesTheNodesAsTheyWereAndItsBufferForTheScrapes() throws Exception {
    mirror.accept(List.of(changed("w1"), changed("w2")));
    ServedNode[] before = mirror.snapshot();
    AnswerBuffers buffers = new AnswerBuffers();

    MetricsText.warmUp(mirror, buffers);

    assertThat(mirror.snapshot()).containsExactly(before);
    AnswerBuffers.Buffer kept = buffers.take();
    assertThat(kept.length()).isZero();
  }

  @Test
  void aFamilyWithoutSamplesIsLeftOutHeaderAndAll() throws Exception {
    mirror.accept(List.of(changed("w1")));
    AnswerBuffers.Buffer b = new AnswerBuffers.Buffer();

    MetricsText.write(mirror.snapshot(), b);

    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    b.sendTo(out);
    assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("# TYPE monitor_node_up gauge\nmonitor_node_up{node=\"w1\"} 1.0\n")
        .doesNotContain("monitor_node_cpu_usage_ratio");
  }
}
