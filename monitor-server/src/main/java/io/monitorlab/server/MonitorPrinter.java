package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import io.monitorlab.common.Py;
import java.io.PrintWriter;
import java.util.List;

/**
 * Writes the monitor's console lines (DESIGN.md) to stdout. Node names that break the naming rule
 * and control characters in values are escaped, so a foreign writer cannot forge lines.
 * This class is thread-safe.
 */
final class MonitorPrinter {
  private final PrintWriter out;

  MonitorPrinter(PrintWriter out) {
    this.out = out;
  }

  synchronized void header(EtcdEndpoints endpoints) {
    line("[Monitor] Starting heartbeat monitor...");
    line("[Monitor] Watching prefix: " + Keys.HEARTBEAT_PREFIX);
    line("[Monitor] etcd endpoint: " + endpoints.joined());
  }

  synchronized void transition(AliveSet.Transition t) {
    String node = NodeNames.escape(t.node());
    switch (t.kind()) {
      case ALIVE -> line("[+] Node " + node + " ALIVE -> " + oneLine(t.value()));
      case DEAD -> line("[-] Node " + node + " DEAD (lease expired)");
      case LEFT -> line("[-] Node " + node + " LEFT (graceful shutdown)");
    }
  }

  synchronized void status(List<String> alive) {
    line("[Status] Currently ALIVE nodes: " + Py.repr(alive.stream().map(NodeNames::escape).toList()));
    line("[Status] Total alive: " + alive.size());
  }

  private void line(String s) {
    out.println(s);
    out.flush();
  }

  /** Keeps a value on one line: control characters become {@code \xNN}. */
  static String oneLine(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
        b.append(c > 0xff ? String.format("\\u%04x", (int) c) : String.format("\\x%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
