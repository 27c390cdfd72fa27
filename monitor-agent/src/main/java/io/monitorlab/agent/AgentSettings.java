package io.monitorlab.agent;

import io.monitorlab.common.EtcdEndpoints;

/** Everything the agent process needs, validated. Immutable. */
record AgentSettings(EtcdEndpoints endpoints, HeartbeatSettings heartbeat, MetricRoots roots) {
  AgentSettings(EtcdEndpoints endpoints, HeartbeatSettings heartbeat) {
    this(endpoints, heartbeat, MetricRoots.HOST);
  }
}
