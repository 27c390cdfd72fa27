package io.monitorlab.server;

import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * The console output: a line per transition and notable event, and the {@code [Status]} pair at start,
 * after each watched transition, after a listing that changed something, and every status period
 * (counted from the last pair printed). Keeps the set of present nodes from the events. Called from
 * its sink thread only.
 */
final class ConsoleSink implements FleetSink {
  private final MonitorPrinter printer;
  private final Duration every;
  private final Set<String> present = new TreeSet<>();
  /** System.nanoTime when etcd went silent, while contact is lost. */
  private Long silentSince;
  private long nextStatus;
  /** No periodic pair before the first listing: there is no fleet to show yet. */
  private boolean listed;

  ConsoleSink(MonitorPrinter printer, Duration every) {
    this.printer = printer;
    this.every = every;
    this.nextStatus = System.nanoTime() + every.toNanos();
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public void accept(List<FleetEvent> events) {
    for (FleetEvent e : events) {
      if (e instanceof FleetEvent.Transition t) {
        if (t.state() == NodeState.ALIVE) {
          present.add(t.name());
        } else {
          present.remove(t.name());
        }
        printer.transition(t);
        if (t.source() == Source.WATCH) {
          status();
        }
      } else if (e instanceof FleetEvent.Listed l) {
        present.clear();
        present.addAll(l.present());
        listed = true;
        // One listing is one observation: one pair showing the state after all of its transitions.
        if (l.first() || l.transitions() > 0) {
          status();
        }
      } else if (e instanceof FleetEvent.NodeKept k) {
        printer.kept(k);
      } else if (e instanceof FleetEvent.Staleness s) {
        // Not a transition: the node stays ALIVE and the [Status] pair does not change.
        printer.staleness(s);
      } else if (e instanceof FleetEvent.MassVanish m) {
        printer.massVanish(m);
      } else if (e instanceof FleetEvent.ContactLost c) {
        silentSince = System.nanoTime() - c.silence().toNanos();
        printer.contactLost(c.silence(), c.why(), c.unknown());
      } else if (e instanceof FleetEvent.ContactRestored r) {
        silentSince = null;
        printer.contactRestored(r.silence());
      }
    }
  }

  @Override
  public OptionalLong nextTick() {
    return listed ? OptionalLong.of(nextStatus) : OptionalLong.empty();
  }

  @Override
  public void tick(long now) {
    if (now - nextStatus >= 0) {
      status();
    }
  }

  private void status() {
    long now = System.nanoTime();
    List<String> nodes = new ArrayList<>(present);
    if (silentSince != null) {
      printer.unknown(Duration.ofNanos(now - silentSince), nodes);
    } else {
      printer.status(nodes);
    }
    nextStatus = now + every.toNanos();
  }
}
