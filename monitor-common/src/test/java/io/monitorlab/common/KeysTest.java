package io.monitorlab.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The etcd keys are the lab's, byte for byte. */
@Timeout(10)
class KeysTest {

  @Test
  void prefixesAreTheLabs() {
    assertThat(Keys.ROOT).isEqualTo("/monitor/");
    assertThat(Keys.HEARTBEAT_PREFIX).isEqualTo("/monitor/heartbeat/");
    assertThat(Keys.CONFIG_PREFIX).isEqualTo("/monitor/config/");
    assertThat(Keys.HEARTBEAT_PREFIX).startsWith(Keys.ROOT);
    assertThat(Keys.CONFIG_PREFIX).startsWith(Keys.ROOT);
  }

  @Test
  void buildsTheHeartbeatAndConfigKeysOfANode() {
    assertThat(Keys.heartbeat("worker1")).isEqualTo("/monitor/heartbeat/worker1");
    assertThat(Keys.config("worker1")).isEqualTo("/monitor/config/worker1");
    assertThat(Keys.heartbeat("ip-10-0-0-1.ec2.internal")).isEqualTo("/monitor/heartbeat/ip-10-0-0-1.ec2.internal");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {"/", "a/b", "..", "../config/x", ".hidden", "-x", "a b", "a\nb", "caf\u00e9"})
  void refusesToBuildAKeyForAnInvalidNodeName(String node) {
    assertThatThrownBy(() -> Keys.heartbeat(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node: invalid node name")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> Keys.config(node))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("node: invalid node name");
  }

  @Test
  void nodeOfReturnsTheRestOfTheKeyExactlyAsFound() {
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeat/worker1")).contains("worker1");
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeat/a/b")).contains("a/b");
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeat/a b\n")).contains("a b\n");
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeat/")).contains("");
    assertThat(Keys.nodeOf(Keys.CONFIG_PREFIX, Keys.config("worker2"))).contains("worker2");
  }

  @Test
  void nodeOfIsEmptyForAKeyOutsideThePrefix() {
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/config/worker1")).isEmpty();
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeat")).isEmpty();
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "/monitor/heartbeatX/worker1")).isEmpty();
    assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, "")).isEmpty();
  }

  @Test
  void aKeyBuiltForANodeGivesTheNodeBack() {
    for (String node : new String[] {"worker1", "a", "x".repeat(NodeNames.MAX_LENGTH), "n.o_d-e"}) {
      assertThat(Keys.nodeOf(Keys.HEARTBEAT_PREFIX, Keys.heartbeat(node))).contains(node);
      assertThat(Keys.nodeOf(Keys.CONFIG_PREFIX, Keys.config(node))).contains(node);
    }
  }
}
