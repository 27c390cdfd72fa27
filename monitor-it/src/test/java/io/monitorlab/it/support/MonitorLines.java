package io.monitorlab.it.support;

import java.util.regex.Pattern;

/** The monitor's and agent's console lines (DESIGN.md) for one node, as {@link Match}es. */
public final class MonitorLines {
  private MonitorLines() {}

  /** {@code [+] Node N ALIVE -> {"status": "alive", "ts": ..., "hostname": "N"}}. */
  public static Match alive(String node) {
    return Match.regex(Pattern.quote("[+] Node " + node + " ALIVE -> {\"status\": \"alive\", \"ts\": ")
        + "\\d+\\.\\d+" + Pattern.quote(", \"hostname\": \"" + node + "\"}"));
  }

  /** {@code [-] Node N DEAD (lease expired)}. */
  public static Match dead(String node) {
    return Match.exact("[-] Node " + node + " DEAD (lease expired)");
  }

  /** {@code [-] Node N LEFT (graceful shutdown)}. */
  public static Match left(String node) {
    return Match.exact("[-] Node " + node + " LEFT (graceful shutdown)");
  }

  /** Any {@code [-]} line about the node (DEAD or LEFT). */
  public static Match gone(String node) {
    return Match.prefix("[-] Node " + node + " ");
  }

  /** Any {@code [+]} line about the node. */
  public static Match anyAlive(String node) {
    return Match.prefix("[+] Node " + node + " ");
  }

  /** The monitor's line for a node that wrote its key again right after etcd deleted it (not reported DEAD). */
  public static Match kept(String node) {
    return Match.prefix("[Monitor] Node " + node + " still ALIVE: ");
  }

  /** The agent's {@code [Heartbeat] Sent for N}. */
  public static Match sent(String node) {
    return Match.exact("[Heartbeat] Sent for " + node);
  }

  /** The agent's {@code [Heartbeat] Lease created with TTL T seconds, ID: I}; group 1 the TTL, 2 the id. */
  public static final Pattern LEASE_CREATED = Pattern.compile("\\[Heartbeat] Lease created with TTL (\\d+) seconds, ID: (-?\\d+)");

  public static Match leaseCreated() {
    return Match.regex(LEASE_CREATED.pattern());
  }

  /** The lease id of a {@code Lease created} line. */
  public static long leaseId(Line created) {
    var m = LEASE_CREATED.matcher(created.text());
    if (!m.matches()) {
      throw new AssertionError("not a Lease created line: " + created.text());
    }
    return Long.parseLong(m.group(2));
  }
}
