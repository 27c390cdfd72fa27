package io.monitorlab.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.server.fleet.JsonText;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NodeSeriesTest {
  private static final double T = 1_800_000_000.0;

  private static String family(NodeSeries series, NodeFamily f) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    series.write(f, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static NodeView view(String node, NodeState state, String metrics) throws Exception {
    return new NodeView(node, state, T, Double.NaN, null, 0, null, null, metrics == null ? null : JsonText.of(metrics));
  }

  @Test
  void eachFamilyHoldsItsOwnLinesAlsoAfterMultiByteLabelValues() throws Exception {
    NodeSeries s = NodeSeries.of(view("w1", NodeState.ALIVE, "{\"disk\": {\"/mnt/d\u00e9j\u00e0 \u2603\": {\"size_bytes\": 100, "
        + "\"avail_bytes\": 60}}, \"load\": {\"load1\": 0.5}}"), new long[] {2, 1, 0, 0, 0});

    assertThat(family(s, NodeFamily.FILESYSTEM_AVAIL_BYTES))
        .isEqualTo("monitor_node_filesystem_avail_bytes{mountpoint=\"/mnt/d\u00e9j\u00e0 \u2603\",node=\"w1\"} 60.0\n");
    assertThat(family(s, NodeFamily.FILESYSTEM_SIZE_BYTES))
        .isEqualTo("monitor_node_filesystem_size_bytes{mountpoint=\"/mnt/d\u00e9j\u00e0 \u2603\",node=\"w1\"} 100.0\n");
    assertThat(family(s, NodeFamily.LOAD1)).isEqualTo("monitor_node_load1{node=\"w1\"} 0.5\n");
    assertThat(family(s, NodeFamily.TRANSITIONS)).isEqualTo("monitor_node_transitions_total{node=\"w1\",to=\"alive\"} 2.0\n"
        + "monitor_node_transitions_total{node=\"w1\",to=\"dead\"} 1.0\n");
    assertThat(family(s, NodeFamily.UP)).isEqualTo("monitor_node_up{node=\"w1\"} 1.0\n");
  }

  @Test
  void valuesTheAgentDidNotSendAreLeftOutNotMadeUp() throws Exception {
    NodeSeries s = NodeSeries.of(view("w2", NodeState.DEAD, "{\"cpu\": {\"usage_ratio\": \"busy\"}, \"memory\": {}}"), null);

    for (NodeFamily f : new NodeFamily[] {NodeFamily.CPU_USAGE_RATIO, NodeFamily.MEMORY_TOTAL_BYTES, NodeFamily.LAST_HEARTBEAT,
        NodeFamily.CONFIG_APPLIED_REVISION, NodeFamily.TRANSITIONS, NodeFamily.NETWORK_RECEIVE}) {
      assertThat(s.isEmpty(f)).as("%s", f).isTrue();
      assertThat(family(s, f)).as("%s", f).isEmpty();
    }
    assertThat(family(s, NodeFamily.STATE)).contains("monitor_node_state{node=\"w2\",state=\"dead\"} 1.0\n")
        .contains("monitor_node_state{node=\"w2\",state=\"alive\"} 0.0\n");
  }

  @Test
  void everyNodeHasAStaleSampleThatIsOneOnlyWhileItsValueIsNotRewritten() throws Exception {
    NodeView fresh = view("w1", NodeState.ALIVE, null);
    NodeView stale = new NodeView("w1", NodeState.ALIVE, T, Double.NaN, null, 0, null, null, null, true);

    assertThat(family(NodeSeries.of(fresh, null), NodeFamily.STALE)).isEqualTo("monitor_node_stale{node=\"w1\"} 0.0\n");
    assertThat(family(NodeSeries.of(stale, null), NodeFamily.STALE)).isEqualTo("monitor_node_stale{node=\"w1\"} 1.0\n");
    assertThat(family(NodeSeries.of(stale, null), NodeFamily.UP)).as("still up").isEqualTo("monitor_node_up{node=\"w1\"} 1.0\n");
    assertThat(family(NodeSeries.of(view("w2", NodeState.DEAD, null), null), NodeFamily.STALE))
        .isEqualTo("monitor_node_stale{node=\"w2\"} 0.0\n");
  }

  @Test
  void labelValuesAreEscapedAsTheTextFormatWants() throws Exception {
    NodeSeries s = NodeSeries.of(view("odd \"name\"\\\nx", NodeState.LEFT, null), null);

    assertThat(family(s, NodeFamily.UP)).isEqualTo("monitor_node_up{node=\"odd \\\"name\\\"\\\\\\nx\"} 0.0\n");
  }
}
