package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import io.monitorlab.common.OneLine;
import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.NodeState;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
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

  /** Where the dashboard, the API and the metrics are served. */
  synchronized void http(InetSocketAddress address) {
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
    String base = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    line("[Monitor] HTTP on " + base + "/ (dashboard /, API /api/v1/nodes, Prometheus /metrics)");
  }

  synchronized void transition(FleetEvent.Transition t) {
    String node = NodeNames.escape(t.name());
    if (t.state() == NodeState.ALIVE) {
      line("[+] Node " + node + " ALIVE -> " + OneLine.of(t.value()));
    } else {
      line("[-] Node " + node + " " + (t.state() == NodeState.LEFT ? "LEFT" : "DEAD") + " (" + t.reason().text() + ")");
    }
  }

  /**
   * {@code [!] Node worker1 STALE (heartbeat value not rewritten for 9.1 s, expected every 2.5 s: ...)} and
   * {@code [!] Node worker1 FRESH (heartbeat value rewritten again after 12.3 s)}: the node stays ALIVE.
   */
  synchronized void staleness(FleetEvent.Staleness s) {
    line("[!] Node " + NodeNames.escape(s.name()) + " " + s.label() + " (" + s.text() + ")");
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

  synchronized void massVanish(FleetEvent.MassVanish m) {
    line("[Monitor] " + m.vanished() + " of " + m.presentBefore() + " nodes vanished at once: a network partition between them"
        + " and etcd is more likely than " + m.vanished() + " deaths");
  }

  synchronized void kept(FleetEvent.NodeKept k) {
    line("[Monitor] Node " + NodeNames.escape(k.node()) + " still ALIVE: etcd deleted its heartbeat key "
        + String.format(Locale.ROOT, "%.2f s", k.sinceLastWrite().toMillis() / 1000.0) + " after its last heartbeat, too soon for its lease to expire, and the node wrote it again "
        + String.format(Locale.ROOT, "%.2f s", k.after().toMillis() / 1000.0) + " later (etcd revoked a live lease; etcd before 3.4.28/3.5.11 does so when a frozen leader resumes)");
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
    return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
  }

  private void line(String s) {
    out.println(s);
    out.flush();
  }
}
