package io.monitorlab.server.fleet;

import io.monitorlab.common.Heartbeat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure state machine behind the monitor: which nodes have a heartbeat key, and which changes
 * are transitions worth reporting (a node first seen or back, a key gone after a death or after a
 * graceful {@code "leaving"}). Refreshes of a present key are not transitions. Not thread-safe:
 * owned by the monitor loop.
 */
final class AliveSet {
  /** MISSING: a registered node with no heartbeat key when listed (it died while nobody watched). */
  enum Kind { ALIVE, DEAD, LEFT, MISSING }

  /** One reportable change; {@code value} is the heartbeat value for ALIVE, else empty. */
  record Transition(String node, Kind kind, String value, long revision) {}

  /** A present node: its key exists, and it did or did not announce its departure. */
  private enum Presence { STAYING, LEAVING }

  private final Map<String, Presence> present = new TreeMap<>();
  private final Set<String> reportedMissing = new HashSet<>();

  /** A put of the node's heartbeat key. */
  List<Transition> put(String node, String value, long revision) {
    return put(node, value, Heartbeat.parse(value).map(Heartbeat::isLeaving).orElse(false), revision);
  }

  /** A put whose value the caller already parsed ({@code leaving}: its status is "leaving"). */
  List<Transition> put(String node, String value, boolean leaving, long revision) {
    if (leaving && !present.containsKey(node)) {
      // Seen only on its way out (e.g. the monitor started between its "leaving" put and its revoke):
      // never announced, so neither counted nor reported when its key goes.
      return List.of();
    }
    Presence before = present.put(node, leaving ? Presence.LEAVING : Presence.STAYING);
    reportedMissing.remove(node);
    if (before == null) {
      return List.of(new Transition(node, Kind.ALIVE, value, revision));
    }
    return List.of();
  }

  /** A delete of the node's heartbeat key: lease expired, revoked, or deleted by hand. */
  List<Transition> delete(String node, long revision) {
    Presence was = present.remove(node);
    if (was == null) {
      return List.of();
    }
    // Reported now: a later listing that finds its record without a heartbeat must not report it again.
    reportedMissing.add(node);
    return List.of(new Transition(node, was == Presence.LEAVING ? Kind.LEFT : Kind.DEAD, "", revision));
  }

  /**
   * Reconciles with a full listing (at start, or after the watch lost history): nodes gone from
   * the listing are reported as deaths (or departures), new ones as alive, in node order.
   */
  List<Transition> reconcile(Map<String, String> listing, long revision) {
    List<Transition> out = new ArrayList<>();
    for (String node : List.copyOf(present.keySet())) {
      if (!listing.containsKey(node)) {
        out.addAll(delete(node, revision));
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(listing).entrySet()) {
      out.addAll(put(e.getKey(), e.getValue(), revision));
    }
    return out;
  }

  /**
   * The registered (expected, not departed) nodes that have no heartbeat key: each is reported once
   * as MISSING, in node order, until it is alive again.
   */
  List<Transition> missing(Collection<String> expected, long revision) {
    List<Transition> out = new ArrayList<>();
    for (String node : new TreeSet<>(expected)) {
      if (!present.containsKey(node) && reportedMissing.add(node)) {
        out.add(new Transition(node, Kind.MISSING, "", revision));
      }
    }
    return out;
  }

  /** The nodes with a heartbeat key, in name order. */
  List<String> alive() {
    return List.copyOf(present.keySet());
  }

  /** Whether a delete of the node's key now would be a death (present and not leaving). */
  boolean wouldDie(String node) {
    return present.get(node) == Presence.STAYING;
  }

  boolean isPresent(String node) {
    return present.containsKey(node);
  }

  /** A forgotten node: were it registered again and missing, it would be reported again. */
  void forget(String node) {
    reportedMissing.remove(node);
  }
}
