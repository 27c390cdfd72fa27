package io.monitorlab.server.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * One node's samples in the Prometheus text format (0.0.4), rendered once when the node changes so that a
 * scrape of 10,000 nodes only copies bytes: all of the node's lines in one array, family after family in
 * {@link NodeFamily} order. Values the node's agent did not send are left out rather than made up.
 * Immutable.
 */
final class NodeSeries {
  private final byte[] lines;
  /** {@code ends[f]}: where family {@code f}'s lines end; they start where the previous family's end. */
  private final int[] ends;

  private NodeSeries(byte[] lines, int[] ends) {
    this.lines = lines;
    this.ends = ends;
  }

  /** Writes the lines of {@code family}. */
  void write(NodeFamily family, OutputStream out) throws IOException {
    out.write(lines, start(family), ends[family.ordinal()] - start(family));
  }

  /** The bytes of all the node's lines. */
  int length() {
    return lines.length;
  }

  /** Copies all the lines to the start of {@code to} and the family boundaries to {@code familyEnds}. */
  void copyTo(byte[] to, int[] familyEnds) {
    System.arraycopy(lines, 0, to, 0, lines.length);
    System.arraycopy(ends, 0, familyEnds, 0, ends.length);
  }

  /** Whether the node has no sample in {@code family}. */
  boolean isEmpty(NodeFamily family) {
    return ends[family.ordinal()] == start(family);
  }

  private int start(NodeFamily family) {
    return family.ordinal() == 0 ? 0 : ends[family.ordinal() - 1];
  }

  /** {@code view}'s samples; {@code transitions[s]} counts its transitions to state {@code s} (null: none). */
  static NodeSeries of(NodeView view, long[] transitions) {
    String node = "node=\"" + escape(view.node()) + "\"";
    JsonNode tree = view.metrics() == null ? null : view.metrics().tree();
    JsonNode m = tree != null && tree.isObject() ? tree : null;
    StringBuilder text = new StringBuilder(1024);
    int[] charEnds = new int[NodeFamily.ALL.length];
    for (NodeFamily f : NodeFamily.ALL) {
      switch (f) {
        case CONFIG_APPLIED_REVISION -> {
          if (view.status() != null) {
            sample(text, f, node, view.status().configRevision());
          }
        }
        case CPU_USAGE_RATIO -> number(text, f, node, m == null ? null : m.path("cpu").path("usage_ratio"));
        case FILESYSTEM_AVAIL_BYTES -> perName(text, f, node, m, "disk", "mountpoint", "avail_bytes");
        case FILESYSTEM_SIZE_BYTES -> perName(text, f, node, m, "disk", "mountpoint", "size_bytes");
        case LAST_HEARTBEAT -> finite(text, f, node, view.lastHeartbeat());
        case LOAD1 -> number(text, f, node, m == null ? null : m.path("load").path("load1"));
        case MEMORY_AVAILABLE_BYTES -> number(text, f, node, m == null ? null : m.path("memory").path("available_bytes"));
        case MEMORY_TOTAL_BYTES -> number(text, f, node, m == null ? null : m.path("memory").path("total_bytes"));
        case NETWORK_RECEIVE -> perName(text, f, node, m, "network", "device", "rx_bytes_per_second");
        case NETWORK_TRANSMIT -> perName(text, f, node, m, "network", "device", "tx_bytes_per_second");
        case STALE -> sample(text, f, node, view.stale() ? 1 : 0);
        case STATE -> {
          for (NodeState s : NodeState.values()) {
            sample(text, f, node + ",state=\"" + s.label() + "\"", view.state() == s ? 1 : 0);
          }
        }
        case STATE_CHANGE -> finite(text, f, node, view.since());
        case TRANSITIONS -> {
          for (NodeState s : NodeState.values()) {
            if (transitions != null && transitions[s.ordinal()] > 0) {
              sample(text, f, node + ",to=\"" + s.label() + "\"", transitions[s.ordinal()]);
            }
          }
        }
        case UP -> sample(text, f, node, view.state() == NodeState.ALIVE ? 1 : 0);
      }
      charEnds[f.ordinal()] = text.length();
    }
    return encode(text, charEnds);
  }

  /** UTF-8 bytes of {@code text} with its family boundaries moved from chars to bytes. */
  private static NodeSeries encode(StringBuilder text, int[] charEnds) {
    String s = text.toString();
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == s.length()) {
      return new NodeSeries(bytes, charEnds);
    }
    int[] ends = new int[charEnds.length];
    int start = 0;
    int bytePos = 0;
    for (int f = 0; f < charEnds.length; f++) {
      bytePos += s.substring(start, charEnds[f]).getBytes(StandardCharsets.UTF_8).length;
      ends[f] = bytePos;
      start = charEnds[f];
    }
    return new NodeSeries(bytes, ends);
  }

  /** One sample per entry of {@code m.<section>} (mounts, devices), labelled {@code label}. */
  private static void perName(StringBuilder text, NodeFamily f, String node, JsonNode m, String section, String label,
      String field) {
    if (m == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = m.path(section).fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      number(text, f, label + "=\"" + escape(e.getKey()) + "\"," + node, e.getValue().path(field));
    }
  }

  private static void number(StringBuilder text, NodeFamily f, String labels, JsonNode value) {
    if (value != null && value.isNumber()) {
      finite(text, f, labels, value.doubleValue());
    }
  }

  private static void finite(StringBuilder text, NodeFamily f, String labels, double value) {
    if (Double.isFinite(value)) {
      sample(text, f, labels, value);
    }
  }

  private static void sample(StringBuilder text, NodeFamily f, String labels, double value) {
    text.append(f.metric).append('{').append(labels).append("} ").append(value).append('\n');
  }

  /** A label value as the text format wants it: backslash, double quote and line feed escaped. */
  static String escape(String value) {
    if (value.indexOf('\\') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
