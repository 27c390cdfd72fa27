package io.monitorlab.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.Json;
import io.monitorlab.server.fleet.JsonText;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ServedNodeTest {
  private static NodeView view(NodeState state, String metrics) {
    return new NodeView("w1", state, 1.0, 2.0, null, 0, null, null, metrics == null ? null : JsonText.of(metrics));
  }

  private static String text(AnswerBuffers.Buffer b) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    b.sendTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String series(ServedNode n, NodeFamily f) throws Exception {
    AnswerBuffers.Buffer b = new AnswerBuffers.Buffer();
    assertThat(n.writeSeries(f, b)).isEqualTo(b.length() > 0);
    return text(b);
  }

  private static String json(ServedNode n) throws Exception {
    AnswerBuffers.Buffer b = new AnswerBuffers.Buffer();
    n.writeJson(b);
    return text(b);
  }

  @Test
  void aChangeRewritesTheNodeWhetherItsBytesGrowOrShrink() throws Exception {
    ServedNode n = ServedNode.of(view(NodeState.ALIVE, null), null);
    assertThat(series(n, NodeFamily.CPU_USAGE_RATIO)).isEmpty();

    n.update(view(NodeState.ALIVE, "{\"cpu\": {\"usage_ratio\": 0.25}, \"load\": {\"load1\": 1.5}}"), null);
    assertThat(series(n, NodeFamily.CPU_USAGE_RATIO)).isEqualTo("monitor_node_cpu_usage_ratio{node=\"w1\"} 0.25\n");
    assertThat(series(n, NodeFamily.LOAD1)).isEqualTo("monitor_node_load1{node=\"w1\"} 1.5\n");
    String longer = json(n);

    n.update(view(NodeState.DEAD, null), new long[] {0, 1, 0, 0, 0});
    assertThat(series(n, NodeFamily.CPU_USAGE_RATIO)).isEmpty();
    assertThat(series(n, NodeFamily.UP)).isEqualTo("monitor_node_up{node=\"w1\"} 0.0\n");
    assertThat(json(n)).isEqualTo(new String(n.json(), StandardCharsets.UTF_8)).hasSizeLessThan(longer.length());
    assertThat(Json.parse(json(n)).get("state").asText()).isEqualTo("DEAD");
  }

  @Test
  @Timeout(30)
  void aReaderNeverSeesHalfOfOneRenderingAndHalfOfAnother() throws Exception {
    String small = "{\"cpu\": {\"usage_ratio\": 0.5}}";
    String big = "{\"cpu\": {\"usage_ratio\": 0.75}, \"disk\": {\"/\": {\"size_bytes\": 100, \"avail_bytes\": 40}, "
        + "\"/var/lib/a-long-mount-point\": {\"size_bytes\": 200, \"avail_bytes\": 80}}}";
    ServedNode n = ServedNode.of(view(NodeState.ALIVE, small), null);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger updates = new AtomicInteger();
    Thread writer = new Thread(() -> {
      for (int i = 0; !stop.get(); i++) {
        n.update(view(NodeState.ALIVE, i % 2 == 0 ? big : small), null);
        updates.incrementAndGet();
      }
    });
    writer.start();
    try {
      for (int i = 0; i < 20_000 || updates.get() < 1_000; i++) {
        String cpu = Json.parse(json(n)).get("metrics").get("cpu").get("usage_ratio").asText();
        String fs = series(n, NodeFamily.FILESYSTEM_AVAIL_BYTES);
        assertThat(cpu).isIn("0.5", "0.75");
        assertThat(fs).isIn("", "monitor_node_filesystem_avail_bytes{mountpoint=\"/\",node=\"w1\"} 40.0\n"
            + "monitor_node_filesystem_avail_bytes{mountpoint=\"/var/lib/a-long-mount-point\",node=\"w1\"} 80.0\n");
      }
    } finally {
      stop.set(true);
      writer.join();
    }
  }
}
