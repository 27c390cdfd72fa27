package io.monitorlab.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AccessPlanTest {
  @Test
  void aNodeRoleHoldsExactlyItsOwnKeysAsSingleKeysNeverAPrefix() {
    AccessPlan.Role role = AccessPlan.node("worker1");
    assertThat(role.name()).isEqualTo("monitor-node-worker1");
    assertThat(role.grants()).extracting(AccessPlan.Grant::describe).containsExactly(
        "readwrite /monitor/heartbeat/worker1",
        "readwrite /monitor/nodes/worker1",
        "readwrite /monitor/metrics/worker1",
        "readwrite /monitor/status/worker1",
        "read /monitor/config/worker1");
    // An empty range end is one key: worker1's role cannot cover worker10's keys.
    assertThat(role.grants()).allSatisfy(g -> assertThat(g.rangeEnd()).isEmpty());
  }

  @Test
  void theMonitorOnlyReadsAndTheOperatorWritesConfigsAndRegistrations() {
    assertThat(AccessPlan.reader().grants()).containsExactly(new AccessPlan.Grant(AccessPlan.Grant.Type.READ, "/monitor/", "/monitor0"));
    assertThat(AccessPlan.operator().grants()).extracting(AccessPlan.Grant::describe).containsExactly(
        "read /monitor/ (prefix)", "readwrite /monitor/config/ (prefix)", "readwrite /monitor/nodes/ (prefix)");
  }

  @Test
  void aPrefixEndsWhereEtcdctlWouldEndIt() {
    assertThat(AccessPlan.prefixEnd("/monitor/config/")).isEqualTo("/monitor/config0");
  }

  @Test
  void aBadNodeNameIsRefused() {
    assertThatThrownBy(() -> AccessPlan.node("../x")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NODE");
  }
}
