package io.monitorlab.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The fleet in Prometheus terms, read from the mirror at scrape time (nothing kept in sync per node):
 * the {@code monitor_} metrics of DESIGN.md. A node's series go when the mirror forgets it; values a
 * node's agent did not send are left out rather than made up. This class is thread-safe.
 */
final class FleetCollector implements MultiCollector {
  private final FleetMirror mirror;
  private final String version;

  FleetCollector(FleetMirror mirror, String version) {
    this.mirror = mirror;
    this.version = version;
  }

  @Override
  public MetricSnapshots collect() {
    Gauges g = new Gauges();
    CounterSnapshot.Builder transitions = CounterSnapshot.builder().name("monitor_node_transitions")
        .help("Transitions of the node to each state seen by this monitor");
    for (NodeView v : mirror.nodes()) {
      String node = v.node();
      Labels labels = Labels.of("node", node);
      g.up.dataPoint(point(labels, v.state() == NodeState.ALIVE ? 1 : 0));
      for (NodeState s : NodeState.values()) {
        g.state.dataPoint(point(Labels.of("node", node, "state", s.label()), v.state() == s ? 1 : 0));
      }
      optional(g.lastHeartbeat, labels, v.lastHeartbeat());
      optional(g.stateChange, labels, v.since());
      AtomicLongArray counts = mirror.transitionCounts(node);
      if (counts != null) {
        for (NodeState s : NodeState.values()) {
          if (counts.get(s.ordinal()) > 0) {
            transitions.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of("node", node, "to", s.label())).value(counts.get(s.ordinal())).build());
          }
        }
      }
      if (v.status() != null) {
        g.appliedRevision.dataPoint(point(labels, v.status().configRevision()));
      }
      agentMetrics(g, labels, v.metrics());
    }
    return MetricSnapshots.of(g.up.build(), g.state.build(), g.lastHeartbeat.build(), g.stateChange.build(),
        transitions.build(), g.etcdUp.dataPoint(point(Labels.EMPTY, mirror.etcdOk() ? 1 : 0)).build(),
        InfoSnapshot.builder().name("monitor_build").help("The monitor's version")
            .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(Labels.of("version", version)).build()).build(),
        g.cpu.build(), g.memTotal.build(), g.memAvailable.build(), g.fsSize.build(), g.fsAvail.build(), g.load1.build(),
        g.appliedRevision.build(), g.rx.build(), g.tx.build());
  }

  private static void agentMetrics(Gauges g, Labels labels, JsonNode m) {
    if (m == null || !m.isObject()) {
      return;
    }
    number(g.cpu, labels, m.path("cpu").path("usage_ratio"));
    number(g.memTotal, labels, m.path("memory").path("total_bytes"));
    number(g.memAvailable, labels, m.path("memory").path("available_bytes"));
    number(g.load1, labels, m.path("load").path("load1"));
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("disk").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> fs = it.next();
      Labels mount = labels.add("mountpoint", fs.getKey());
      number(g.fsSize, mount, fs.getValue().path("size_bytes"));
      number(g.fsAvail, mount, fs.getValue().path("avail_bytes"));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path("network").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> dev = it.next();
      Labels device = labels.add("device", dev.getKey());
      number(g.rx, device, dev.getValue().path("rx_bytes_per_second"));
      number(g.tx, device, dev.getValue().path("tx_bytes_per_second"));
    }
  }

  private static void number(GaugeSnapshot.Builder b, Labels labels, JsonNode value) {
    if (value.isNumber() && Double.isFinite(value.doubleValue())) {
      b.dataPoint(point(labels, value.doubleValue()));
    }
  }

  private static void optional(GaugeSnapshot.Builder b, Labels labels, double value) {
    if (Double.isFinite(value)) {
      b.dataPoint(point(labels, value));
    }
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }

  /** The gauge families of one scrape. */
  private static final class Gauges {
    final GaugeSnapshot.Builder up = gauge("monitor_node_up", "1 if the node is ALIVE, else 0");
    final GaugeSnapshot.Builder state = gauge("monitor_node_state", "1 for the node's state, 0 for the others");
    final GaugeSnapshot.Builder lastHeartbeat = gauge("monitor_node_last_heartbeat_timestamp_seconds",
        "ts of the node's last heartbeat value, seconds since the epoch").unit(Unit.SECONDS);
    final GaugeSnapshot.Builder stateChange = gauge("monitor_node_state_change_timestamp_seconds",
        "When the node entered its state, seconds since the epoch").unit(Unit.SECONDS);
    final GaugeSnapshot.Builder etcdUp = gauge("monitor_etcd_up", "1 while the monitor can see etcd");
    final GaugeSnapshot.Builder cpu = gauge("monitor_node_cpu_usage_ratio", "Busy ratio of the node's CPUs over the agent's last interval").unit(Unit.RATIO);
    final GaugeSnapshot.Builder memTotal = gauge("monitor_node_memory_total_bytes", "MemTotal of the node").unit(Unit.BYTES);
    final GaugeSnapshot.Builder memAvailable = gauge("monitor_node_memory_available_bytes", "MemAvailable of the node").unit(Unit.BYTES);
    final GaugeSnapshot.Builder fsSize = gauge("monitor_node_filesystem_size_bytes", "Size of a filesystem of the node").unit(Unit.BYTES);
    final GaugeSnapshot.Builder fsAvail = gauge("monitor_node_filesystem_avail_bytes",
        "Space available to unprivileged users on a filesystem of the node, as df shows it").unit(Unit.BYTES);
    final GaugeSnapshot.Builder load1 = gauge("monitor_node_load1", "1-minute load average of the node");
    final GaugeSnapshot.Builder appliedRevision = gauge("monitor_node_config_applied_revision",
        "etcd revision of the config the node's agent applied (0: the default)");
    final GaugeSnapshot.Builder rx = gauge("monitor_node_network_receive_bytes_per_second",
        "Bytes received per second on a network interface over the agent's last interval");
    final GaugeSnapshot.Builder tx = gauge("monitor_node_network_transmit_bytes_per_second",
        "Bytes sent per second on a network interface over the agent's last interval");

    private static GaugeSnapshot.Builder gauge(String name, String help) {
      return GaugeSnapshot.builder().name(name).help(help);
    }
  }
}
