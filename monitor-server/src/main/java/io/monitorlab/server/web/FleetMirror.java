package io.monitorlab.server.web;

import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * What the HTTP side shows, kept from the fleet's events on the sink's thread and read by any number
 * of HTTP threads without a lock on the whole (each node has its own): the nodes in name order (each
 * rendered once per change into arrays it keeps, with its transition counts), the revision, whether etcd is in sight and the latest transitions. Forwards each
 * batch to the event stream, and tells {@code onFirstListing} once the first listing is in.
 * This class is thread-safe.
 */
public final class FleetMirror implements FleetSink {
  static final int KEPT_TRANSITIONS = 1000;

  private final ConcurrentSkipListMap<String, ServedNode> nodes = new ConcurrentSkipListMap<>();
  /** Transitions of each node to each state (indexed by {@link NodeState#ordinal()}); the sink's thread only. */
  private final Map<String, long[]> transitionCounts = new HashMap<>();
  private final Deque<FleetEvent.Transition> transitions = new ArrayDeque<>();
  private final EventStream stream;
  private final Consumer<FleetMirror> onFirstListing;
  private volatile long revision;
  private volatile boolean listed;
  private volatile boolean etcdLost;
  private volatile long silentSince;

  /** {@code onFirstListing} runs on the sink's thread and must not block it. */
  public FleetMirror(EventStream stream, Consumer<FleetMirror> onFirstListing) {
    this.stream = stream;
    this.onFirstListing = onFirstListing;
  }

  @Override
  public String name() {
    return "http";
  }

  @Override
  public void accept(List<FleetEvent> events) {
    boolean firstListing = false;
    for (FleetEvent e : events) {
      if (e instanceof FleetEvent.Transition t) {
        long[] counts = transitionCounts.computeIfAbsent(t.name(), n -> new long[NodeState.values().length]);
        counts[t.state().ordinal()]++;
        serve(t.node(), counts);
        revision = Math.max(revision, t.revision());
        synchronized (transitions) {
          transitions.addFirst(t);
          if (transitions.size() > KEPT_TRANSITIONS) {
            transitions.removeLast();
          }
        }
      } else if (e instanceof FleetEvent.NodeChanged c) {
        serve(c.node(), transitionCounts.get(c.node().node()));
      } else if (e instanceof FleetEvent.NodeForgotten f) {
        nodes.remove(f.node());
        transitionCounts.remove(f.node());
        revision = Math.max(revision, f.revision());
      } else if (e instanceof FleetEvent.Listed l) {
        firstListing |= !listed;
        listed = true;
        revision = Math.max(revision, l.revision());
      } else if (e instanceof FleetEvent.ContactLost c) {
        silentSince = System.nanoTime() - c.silence().toNanos();
        etcdLost = true;
      } else if (e instanceof FleetEvent.ContactRestored) {
        etcdLost = false;
      }
    }
    stream.publish(events, this);
    if (firstListing) {
      onFirstListing.accept(this);
    }
  }

  /** A node's new view, rendered into the arrays it is served from (the sink's thread only). */
  private void serve(NodeView view, long[] counts) {
    ServedNode served = nodes.get(view.node());
    if (served == null) {
      nodes.put(view.node(), ServedNode.of(view, counts));
    } else {
      served.update(view, counts);
    }
  }

  /** The nodes in name order as they are now: the list to answer one request from (each node may change). */
  ServedNode[] snapshot() {
    return nodes.values().toArray(new ServedNode[0]);
  }

  Optional<ServedNode> node(String name) {
    return Optional.ofNullable(nodes.get(name));
  }

  public long revision() {
    return revision;
  }

  public boolean etcdOk() {
    return !etcdLost;
  }

  /** How long etcd has been out of sight (zero while it is in sight). */
  public Duration silence() {
    return etcdLost ? Duration.ofNanos(System.nanoTime() - silentSince) : Duration.ZERO;
  }

  /** Ready: listed once and etcd in sight; otherwise why not. */
  public Optional<String> notReady() {
    if (!listed) {
      return Optional.of("not listed yet: the monitor has not read the fleet from etcd");
    }
    return etcdLost ? Optional.of("cannot see etcd") : Optional.empty();
  }

  /** The latest transitions, newest first. */
  public List<FleetEvent.Transition> transitions(int limit) {
    synchronized (transitions) {
      List<FleetEvent.Transition> out = new ArrayList<>(Math.min(limit, transitions.size()));
      for (FleetEvent.Transition t : transitions) {
        if (out.size() == limit) {
          break;
        }
        out.add(t);
      }
      return out;
    }
  }
}
