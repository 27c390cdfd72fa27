package io.monitorlab.server.fleet;

import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import io.monitorlab.server.fleet.FleetEvent.ContactLost;
import io.monitorlab.server.fleet.FleetEvent.ContactRestored;
import io.monitorlab.server.fleet.FleetEvent.Listed;
import io.monitorlab.server.fleet.FleetEvent.MassVanish;
import io.monitorlab.server.fleet.FleetEvent.NodeChanged;
import io.monitorlab.server.fleet.FleetEvent.NodeForgotten;
import io.monitorlab.server.fleet.FleetEvent.NodeKept;
import io.monitorlab.server.fleet.FleetEvent.Staleness;
import io.monitorlab.server.fleet.FleetEvent.Transition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pure model of the fleet: turns what etcd says under {@code /monitor/} (watch events, full
 * listings, silence) into {@link FleetEvent}s, deciding every transition and its reason once. Holds the
 * alive set, the hold of deletions that cannot be expiries, the contact with etcd, each node's data and
 * whether its heartbeat value went stale ({@link StaleCheck}, checked by {@link #onTick} and
 * {@link #onWatch} once a second).
 * No I/O; times are passed in ({@code now}: System.nanoTime, {@code wall}: epoch seconds).
 * Not thread-safe: owned by the monitor loop.
 */
public final class Fleet {
  private final AliveSet alive = new AliveSet();
  private final EventHold hold;
  private final Contact contact;
  private final StaleCheck staleCheck;
  private final Map<String, NodeData> nodes = new TreeMap<>();
  private boolean listed;

  public Fleet(Duration revokeGrace, Duration lostAfter, long now) {
    this.hold = new EventHold(revokeGrace);
    this.contact = new Contact(lostAfter, now);
    this.staleCheck = new StaleCheck(now);
  }

  /** Events of one watch response: one observation. */
  public List<FleetEvent> onWatch(List<KeyEvent> events, long now, double wall) {
    List<FleetEvent> out = new ArrayList<>(heard(now));
    List<EventHold.Event> released = new ArrayList<>();
    for (KeyEvent e : events) {
      Optional<String> beat = Keys.nodeOf(Keys.HEARTBEAT_PREFIX, e.key());
      if (beat.isPresent()) {
        released.addAll(hold.offer(new EventHold.Event(beat.get(), e.delete(), e.value(), e.modRevision()), now, wall));
      } else {
        NodeData.nodeOf(e.key()).ifPresent(node -> other(nodes.computeIfAbsent(node, NodeData::new), e, out));
      }
    }
    for (EventHold.Kept k : hold.drainKept()) {
      out.add(new NodeKept(k.node(), k.deleteRevision(), k.putRevision(), k.after(), k.sinceLastWrite()));
    }
    heartbeats(released, Source.WATCH, now, wall, out);
    stale(now, wall, out);
    return out;
  }

  /** Releases the deletions whose hold ended by {@code now}; reports the nodes gone stale. */
  public List<FleetEvent> onTick(long now, double wall) {
    List<FleetEvent> out = new ArrayList<>();
    heartbeats(hold.release(now), Source.WATCH, now, wall, out);
    stale(now, wall, out);
    return out;
  }

  /**
   * A full listing replaces what the events said: nodes gone from it are reported (DEAD, LEFT), new
   * ones ALIVE, registered ones without a heartbeat MISSING, in node order; one observation.
   */
  public List<FleetEvent> onListing(Listing listing, long now, double wall) {
    List<FleetEvent> out = new ArrayList<>(heard(now));
    // What the watch said before the listing comes first, so that e.g. a "leaving" put still makes a LEFT.
    heartbeats(hold.releaseAll(), Source.WATCH, now, wall, out);
    Map<String, String> beats = new TreeMap<>();
    Map<String, Long> beatRevisions = new HashMap<>();
    Map<String, List<KeyEvent>> byNode = new HashMap<>();
    for (KeyEvent e : listing.keys()) {
      Optional<String> beat = Keys.nodeOf(Keys.HEARTBEAT_PREFIX, e.key());
      if (beat.isPresent()) {
        beats.put(beat.get(), e.value());
        beatRevisions.put(beat.get(), e.modRevision());
      } else {
        NodeData.nodeOf(e.key()).ifPresent(n -> byNode.computeIfAbsent(n, x -> new ArrayList<>()).add(e));
      }
    }
    List<String> expected = new ArrayList<>();
    for (String node : new ArrayList<>(union(nodes.keySet(), byNode.keySet()))) {
      NodeData d = nodes.computeIfAbsent(node, NodeData::new);
      boolean wasRegistered = d.registration != null;
      boolean changed = d.replace(byNode.getOrDefault(node, List.of()));
      if (d.registration != null && d.registration.isActive()) {
        expected.add(node);
      }
      if (wasRegistered && d.registration == null && !beats.containsKey(node) && d.state != null) {
        forget(d, listing.revision(), out);
      } else if (d.state == null && d.registration != null && !d.registration.isActive() && !beats.containsKey(node)) {
        d.enter(NodeState.LEFT, Double.isNaN(d.registration.since()) ? wall : d.registration.since());
        out.add(new NodeChanged(view(d)));
      } else if (changed) {
        changed(d, out);
      }
    }
    int presentBefore = alive.alive().size();
    List<AliveSet.Transition> changes = new ArrayList<>(alive.reconcile(beats, listing.revision()));
    changes.addAll(alive.missing(expected, listing.revision()));
    massVanish(changes.stream().filter(t -> t.kind() == AliveSet.Kind.DEAD).count(), presentBefore, out);
    for (String node : beats.keySet()) {
      NodeData d = nodes.computeIfAbsent(node, NodeData::new);
      long before = d.writes.lastSeen();
      d.beat(beats.get(node));
      if (d.writes.listed(beatRevisions.get(node), d.lastHeartbeat, now) && d.stale) {
        fresh(d, Duration.ofNanos(now - before), Source.LIST, wall, out);
        out.add(new NodeChanged(view(d)));
      }
    }
    for (AliveSet.Transition t : changes) {
      out.add(transition(t, Source.LIST, wall));
    }
    out.add(new Listed(listing.revision(), changes.size(), !listed, alive.alive()));
    listed = true;
    return out;
  }

  /** etcd did not answer; {@code why} says what was waited for. Reports the loss once. */
  public List<FleetEvent> onSilence(long now, String why) {
    if (contact.check(now) != Contact.Change.LOST) {
      return List.of();
    }
    List<FleetEvent> out = new ArrayList<>();
    out.add(new ContactLost(contact.silence(now), why, alive.alive()));
    for (String node : alive.alive()) {
      out.add(new NodeChanged(view(nodes.get(node))));
    }
    return out;
  }

  public boolean contactLost() {
    return contact.isLost();
  }

  /** When {@link #onTick} is wanted next (System.nanoTime): a held deletion is due, or the stale check. */
  public OptionalLong nextDeadline() {
    long check = staleCheck.nextDeadline();
    OptionalLong held = hold.nextDeadline();
    return OptionalLong.of(held.isPresent() && held.getAsLong() - check < 0 ? held.getAsLong() : check);
  }

  /** Every tracked node now, in name order (for a one-shot status or a late reader). */
  public List<NodeView> nodes() {
    List<NodeView> out = new ArrayList<>();
    for (NodeData d : nodes.values()) {
      if (d.state != null) {
        out.add(view(d));
      }
    }
    return out;
  }

  private List<FleetEvent> heard(long now) {
    Duration silence = contact.silence(now);
    if (contact.heard(now) != Contact.Change.RESTORED) {
      return List.of();
    }
    staleCheck.restart(now);
    List<FleetEvent> out = new ArrayList<>();
    out.add(new ContactRestored(silence));
    for (String node : alive.alive()) {
      out.add(new NodeChanged(view(nodes.get(node))));
    }
    return out;
  }

  /** Applies heartbeat events released together: one observation. */
  private void heartbeats(List<EventHold.Event> events, Source source, long now, double wall, List<FleetEvent> out) {
    if (events.isEmpty()) {
      return;
    }
    massVanish(events.stream().filter(EventHold.Event::delete).map(EventHold.Event::node).distinct()
        .filter(alive::wouldDie).count(), alive.alive().size(), out);
    for (EventHold.Event e : events) {
      NodeData d = nodes.computeIfAbsent(e.node(), NodeData::new);
      List<AliveSet.Transition> ts = e.delete() ? alive.delete(e.node(), e.revision())
          : alive.put(e.node(), e.value(), e.leaving(), e.revision());
      if (e.delete()) {
        d.writes.reset();
      } else {
        d.beat(e.value(), e.heartbeat());
        long before = d.writes.written(e.revision(), d.lastHeartbeat, now);
        if (d.stale) {
          fresh(d, Duration.ofNanos(now - before), source, wall, out);
        }
      }
      if (ts.isEmpty() && !e.delete()) {
        changed(d, out);
      }
      for (AliveSet.Transition t : ts) {
        out.add(transition(t, source, wall));
      }
    }
  }

  /** Reports the live nodes whose heartbeat value went stale, when the check is due. */
  private void stale(long now, double wall, List<FleetEvent> out) {
    for (StaleCheck.Found f : staleCheck.due(nodes.values(), now, contact.lastHeard(), contact.isLost())) {
      NodeData d = f.node();
      d.stale(true);
      out.add(new Staleness(view(d), true, f.silence(), f.expected(), d.writes.revision(), Source.WATCH, wall));
      out.add(new NodeChanged(view(d)));
    }
  }

  /** A stale node was written again; the caller reports its {@link NodeChanged}. */
  private void fresh(NodeData d, Duration silence, Source source, double wall, List<FleetEvent> out) {
    d.stale(false);
    Duration expected = d.writes.expected(d.heartbeatMode(), d.heartbeatTtl());
    out.add(new Staleness(view(d), false, silence, expected == null ? Duration.ZERO : expected, d.writes.revision(), source,
        wall));
  }

  private Transition transition(AliveSet.Transition t, Source source, double wall) {
    Reason reason = switch (t.kind()) {
      case ALIVE -> source == Source.LIST ? Reason.LISTED : Reason.WRITTEN;
      case DEAD -> source == Source.LIST ? Reason.RELISTED : Reason.EXPIRED;
      case LEFT -> Reason.LEFT;
      case MISSING -> Reason.MISSING;
    };
    NodeData d = nodes.computeIfAbsent(t.node(), NodeData::new);
    d.enter(reason.state(), since(d, reason, wall));
    return new Transition(view(d), reason, t.revision(), source, wall, t.value());
  }

  /**
   * When the node entered its state: now for what was watched; for a listing, what the keys say (an
   * alive node's registration gives its agent's start; a missing node's death time is unknown).
   */
  private static double since(NodeData d, Reason reason, double wall) {
    return switch (reason) {
      case LISTED -> d.registration != null && d.registration.isActive() && !Double.isNaN(d.registration.since())
          ? Math.min(wall, d.registration.since()) : wall;
      case MISSING -> Double.NaN;
      default -> wall;
    };
  }

  private void forget(NodeData d, long revision, List<FleetEvent> out) {
    d.state = null;
    d.stale(false);
    alive.forget(d.node);
    out.add(new NodeForgotten(d.node, revision));
  }

  /** A change of a node's registration, config, status or metrics key. */
  private void other(NodeData d, KeyEvent e, List<FleetEvent> out) {
    boolean changed = d.apply(e);
    if (e.delete() && e.key().startsWith(Keys.NODES_PREFIX) && d.state != null && !alive.isPresent(d.node)) {
      // forget NODE: without a heartbeat and a registration the node is no longer tracked.
      forget(d, e.modRevision(), out);
    } else if (changed) {
      changed(d, out);
    }
  }

  private void changed(NodeData d, List<FleetEvent> out) {
    if (d.state != null) {
      out.add(new NodeChanged(view(d)));
    }
  }

  private void massVanish(long vanished, int presentBefore, List<FleetEvent> out) {
    if (vanished >= 2 && vanished * 2 > presentBefore) {
      out.add(new MassVanish(vanished, presentBefore));
    }
  }

  private NodeView view(NodeData d) {
    NodeView v = d.view();
    return contact.isLost() && v.state() == NodeState.ALIVE ? v.withState(NodeState.UNKNOWN) : v;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.addAll(b);
    return out;
  }
}
