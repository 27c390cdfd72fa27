package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.StringJoiner;

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
      case MISSING -> line("[-] Node " + node + " DEAD (registered but no heartbeat key)");
    }
  }

  synchronized void status(List<String> alive) {
    line("[Status] Currently ALIVE nodes: " + names(alive));
    line("[Status] Total alive: " + alive.size());
  }

  /**
   * {@code repr(list)} of the names as Python prints valid ones; a foreign name appears escaped exactly
   * as in the {@code [+]}/{@code [-]} lines (escaping it a second time would double its backslashes).
   */
  private static String names(List<String> nodes) {
    StringJoiner out = new StringJoiner(", ", "[", "]");
    for (String node : nodes) {
      out.add(node.isEmpty() ? "''" : "'" + NodeNames.escape(node) + "'");
    }
    return out.toString();
  }

  synchronized void massVanish(long vanished, int presentBefore) {
    line("[Monitor] " + vanished + " of " + presentBefore + " nodes vanished at once: a network partition between them"
        + " and etcd is more likely than " + vanished + " deaths");
  }

  synchronized void kept(EventHold.Kept k) {
    line("[Monitor] Node " + NodeNames.escape(k.node()) + " still ALIVE: etcd deleted its heartbeat key "
        + String.format(java.util.Locale.ROOT, "%.2f s", k.sinceLastWrite().toMillis() / 1000.0) + " after its last heartbeat, too soon for its lease to expire, and the node wrote it again "
        + String.format(java.util.Locale.ROOT, "%.2f s", k.after().toMillis() / 1000.0) + " later (etcd revoked a live lease; etcd before 3.4.28/3.5.11 does so when a frozen leader resumes)");
  }

  synchronized void forgot(String node, boolean existed) {
    line(existed ? "[Monitor] Forgot node " + NodeNames.escape(node) + ": its absence is no longer reported"
        : "[Monitor] Node " + NodeNames.escape(node) + " was not registered; nothing to forget");
  }

  synchronized void contactLost(Duration silence, String why, List<String> unknown) {
    line("[Monitor] Lost contact with etcd (" + why + " for " + seconds(silence) + "): cannot see the cluster; "
        + unknown.size() + " nodes now UNKNOWN: " + names(unknown));
  }

  synchronized void unknown(Duration silence, List<String> unknown) {
    line("[Status] Cannot see the etcd cluster for " + seconds(silence) + "; nodes UNKNOWN: " + names(unknown));
  }

  synchronized void contactRestored(Duration silence) {
    line("[Monitor] Contact with etcd restored after " + seconds(silence) + "; reporting what changed meanwhile");
  }

  private static String seconds(Duration d) {
    return String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
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
