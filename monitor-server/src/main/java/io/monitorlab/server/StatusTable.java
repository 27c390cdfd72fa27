package io.monitorlab.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.common.NodeNames;
import io.monitorlab.common.OneLine;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fleet as a table, one row per node as {@code kubectl get nodes} shows them: state, since, last
 * heartbeat age, cpu, memory, disk and the config (desired revision, applied, rejected). Pure: the time
 * is passed in. This class is thread-safe.
 */
final class StatusTable {
  private static final String[] HEADER = {"NODE", "STATE", "SINCE", "HEARTBEAT", "CPU", "MEMORY", "DISK", "CONFIG"};

  private StatusTable() {}

  static void print(List<NodeView> nodes, double now, PrintWriter out) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (NodeView v : nodes) {
      JsonNode m = v.metrics() == null ? null : v.metrics().tree();
      rows.add(new String[] {NodeNames.escape(v.node()), v.state().name(), age(now - v.since()), age(now - v.lastHeartbeat()),
          percent(cpu(m)), percent(memoryUsed(m)), percent(diskUsed(m)), config(v)});
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(line.toString().stripTrailing());
    }
    long alive = nodes.stream().filter(v -> v.state() == NodeState.ALIVE).count();
    out.println("[Status] Total alive: " + alive);
    out.flush();
  }

  /** {@code rev 42 applied}, {@code rev 43 pending (applied 42)}, {@code rev 43 REJECTED: why}, {@code default}. */
  static String config(NodeView v) {
    AgentStatus s = v.status();
    long desired = v.desiredRevision();
    if (s != null && s.rejectedRevision() != null && s.rejectedRevision() == desired && desired != 0) {
      return "rev " + desired + " REJECTED: " + OneLine.of(s.rejectedReason());
    }
    if (desired == 0) {
      return s == null ? "-" : s.configRevision() == 0 ? "default" : "deleted (applied " + s.configRevision() + ")";
    }
    if (s == null) {
      return "rev " + desired + " (agent status unknown)";
    }
    return s.configRevision() >= desired ? "rev " + desired + " applied"
        : "rev " + desired + " pending (applied " + s.configRevision() + ")";
  }

  /** A duration as kubectl prints ages: {@code 9.5s}, {@code 3m5s}, {@code 5h3m}, {@code 4d7h}; {@code -} when unknown. */
  static String age(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 1e11) {
      return "-";
    }
    if (seconds < 0) {
      return String.format(Locale.ROOT, "in %.1fs", -seconds);
    }
    long s = (long) (seconds + 1e-6);  // epoch seconds as doubles: 179.9999999 is 3m0s
    if (s < 60) {
      return String.format(Locale.ROOT, "%.1fs", seconds);
    }
    if (s < 3600) {
      return s / 60 + "m" + s % 60 + "s";
    }
    if (s < 86400) {
      return s / 3600 + "h" + s % 3600 / 60 + "m";
    }
    return s / 86400 + "d" + s % 86400 / 3600 + "h";
  }

  private static String percent(double ratio) {
    return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
  }

  static double cpu(JsonNode metrics) {
    JsonNode r = metrics == null ? null : metrics.path("cpu").path("usage_ratio");
    return r != null && r.isNumber() ? r.doubleValue() : Double.NaN;
  }

  static double memoryUsed(JsonNode metrics) {
    JsonNode m = metrics == null ? null : metrics.path("memory");
    if (m == null || !m.path("total_bytes").isNumber() || !m.path("available_bytes").isNumber()
        || m.get("total_bytes").doubleValue() <= 0) {
      return Double.NaN;
    }
    return 1 - m.get("available_bytes").doubleValue() / m.get("total_bytes").doubleValue();
  }

  /** The used ratio of the fullest filesystem. */
  static double diskUsed(JsonNode metrics) {
    JsonNode disk = metrics == null ? null : metrics.path("disk");
    double max = Double.NaN;
    if (disk == null || !disk.isObject()) {
      return max;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = disk.fields(); it.hasNext(); ) {
      JsonNode fs = it.next().getValue();
      double size = fs.path("size_bytes").asDouble(0);
      if (size > 0 && fs.path("avail_bytes").isNumber()) {
        double used = 1 - fs.get("avail_bytes").doubleValue() / size;
        max = Double.isNaN(max) ? used : Math.max(max, used);
      }
    }
    return max;
  }
}
