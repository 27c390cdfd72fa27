package io.monitorlab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class NodesPageTest {

  private static NodesPage parse(String json, String prefix) {
    return NodesPage.parse(json.getBytes(StandardCharsets.UTF_8), prefix);
  }

  @Test
  void countsTheListedNodesAndTheAliveOnesWithThePrefix() {
    String page = "{\"revision\": 42, \"etcd\": \"ok\", \"generated_at\": 1.5, \"nodes\": ["
        + "{\"node\": \"bench-a-1\", \"state\": \"ALIVE\", \"heartbeat\": {\"status\": \"alive\", \"state\": \"DEAD\"},"
        + " \"metrics\": {\"disk\": {\"/\": {\"size_bytes\": 1}}}},"
        + "{\"node\": \"bench-a-2\", \"state\": \"DEAD\"},"
        + "{\"state\": \"ALIVE\", \"node\": \"bench-a-3\"},"
        + "{\"node\": \"worker1\", \"state\": \"ALIVE\"}]}";

    assertThat(parse(page, "bench-a-")).isEqualTo(new NodesPage(42, "ok", 4, 2));
  }

  @Test
  void anEmptyFleetHasNoNodes() {
    assertThat(parse("{\"revision\": 7, \"etcd\": \"lost\", \"nodes\": []}", "x")).isEqualTo(new NodesPage(7, "lost", 0, 0));
  }

  @Test
  void nodesBeforeTheOtherFieldsAreReadToo() {
    assertThat(parse("{\"nodes\": [{\"node\": \"x1\", \"state\": \"ALIVE\"}], \"revision\": 3}", "x"))
        .isEqualTo(new NodesPage(3, "", 1, 1));
  }

  @Test
  void aPageWithoutNodesIsRefused() {
    assertThatThrownBy(() -> parse("{\"error\": \"not ready\"}", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nodes");
  }

  @Test
  void brokenJsonIsRefused() {
    assertThatThrownBy(() -> parse("{\"nodes\": [{\"node\": ", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("[]", "x")).isInstanceOf(IllegalArgumentException.class);
  }
}
