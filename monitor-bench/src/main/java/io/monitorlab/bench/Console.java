package io.monitorlab.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** The console lines of DESIGN.md the bench waits for, matched exactly. Thread-safe. */
final class Console {
  static final String STATUS_TOTAL = "[Status] Total alive: ";
  static final String STATUS_LIST = "[Status] Currently ALIVE nodes: ";
  static final String MONITOR_START = "[Monitor] Starting heartbeat monitor...";
  static final String LOST_CONTACT = "[Monitor] Lost contact with etcd";
  private static final String NODE = "[-] Node ";
  private static final List<String> DEAD_REASONS = List.of(" DEAD (lease expired)", " DEAD (registered but no heartbeat key)");

  private Console() {}

  static Predicate<String> alive(String node) {
    String prefix = "[+] Node " + node + " ALIVE -> ";
    return s -> s.startsWith(prefix);
  }

  static Predicate<String> dead(String node) {
    return ("[-] Node " + node + " DEAD (lease expired)")::equals;
  }

  static Predicate<String> left(String node) {
    return ("[-] Node " + node + " LEFT (graceful shutdown)")::equals;
  }

  static Predicate<String> totalAlive() {
    return s -> s.startsWith(STATUS_TOTAL);
  }

  /** The count of a {@code [Status] Total alive: N} line, or -1 when it is not one. */
  static int aliveCount(String line) {
    if (!line.startsWith(STATUS_TOTAL)) {
      return -1;
    }
    try {
      return Integer.parseInt(line.substring(STATUS_TOTAL.length()).trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The node of a DEAD line (either reason), or empty when it is not one. */
  static Optional<String> deadNode(String line) {
    if (line.startsWith(NODE)) {
      for (String reason : DEAD_REASONS) {
        if (line.endsWith(reason) && line.length() > NODE.length() + reason.length()) {
          return Optional.of(line.substring(NODE.length(), line.length() - reason.length()));
        }
      }
    }
    return Optional.empty();
  }

  /** The {@code [Config] UPDATED} line for a config whose Python repr is {@code repr}. */
  static Predicate<String> updated(String repr) {
    return ("[Config] UPDATED config from etcd: " + repr)::equals;
  }

  /** An {@code [Agent] Iteration N} line showing {@code interval} and {@code metricsRepr}. */
  static Predicate<String> iteration(String intervalText, String metricsRepr) {
    String prefix = "[Agent] Iteration ";
    String suffix = ": interval=" + intervalText + "s, metrics=" + metricsRepr;
    return s -> s.length() > prefix.length() + suffix.length() && s.startsWith(prefix) && s.endsWith(suffix)
        && s.substring(prefix.length(), s.length() - suffix.length()).matches("\\d+");
  }

  /** The agent's first line, printed once its etcd client is built (TLS files read, before any connection). */
  static Predicate<String> watcherStarting(String node) {
    return ("[Agent] Starting config watcher for node: " + node)::equals;
  }

  /** The agent's line after etcd granted its lease: the first answer over its connection. */
  static Predicate<String> leaseCreated() {
    return s -> s.startsWith("[Heartbeat] Lease created with TTL ");
  }

  static Predicate<String> sent(String node) {
    return ("[Heartbeat] Sent for " + node)::equals;
  }

  /** The monitor's lines worth keeping: everything but the status list, which grows with the fleet. */
  static boolean notStatusList(String s) {
    return !s.startsWith(STATUS_LIST);
  }
}
