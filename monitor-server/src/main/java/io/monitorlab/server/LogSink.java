package io.monitorlab.server;

import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.fleet.Source;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's diagnostics on stderr: transitions (a listing's at DEBUG with one INFO summary: a line
 * per node of a large fleet slowed the cold start, see docs/BENCHMARKS.md), contact and the revoked-lease holds.
 * Called from its sink thread only.
 */
final class LogSink implements FleetSink {
  private static final Logger log = LoggerFactory.getLogger(LogSink.class);

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void accept(List<FleetEvent> events) {
    for (FleetEvent e : events) {
      if (e instanceof FleetEvent.Transition t) {
        if (t.source() == Source.WATCH) {
          log.info("transition node={} state={} reason=\"{}\" revision={} source=watch", t.name(), t.state(), t.reason().text(), t.revision());
        } else {
          log.debug("transition node={} state={} reason=\"{}\" revision={} source=list", t.name(), t.state(), t.reason().text(), t.revision());
        }
      } else if (e instanceof FleetEvent.Listed l) {
        log.info("listing reconciled transitions={} alive={} revision={}", l.transitions(), l.present().size(), l.revision());
      } else if (e instanceof FleetEvent.NodeKept k) {
        log.warn("heartbeat key deleted too soon for a lease expiry and written again node={} delete_revision={} put_revision={} "
            + "since_last_write_ms={} rewritten_after_ms={}; not reported dead (etcd before 3.4.28/3.5.11 revokes leases when a "
            + "frozen leader resumes)", k.node(), k.deleteRevision(), k.putRevision(), k.sinceLastWrite().toMillis(), k.after().toMillis());
      } else if (e instanceof FleetEvent.Staleness s) {
        if (s.stale()) {
          log.warn("heartbeat value stale node={} silence_ms={} expected_ms={} revision={}; its key stays, so its lease is kept "
              + "alive without its agent writing", s.name(), s.silence().toMillis(), s.expected().toMillis(), s.revision());
        } else {
          log.info("heartbeat value fresh again node={} silence_ms={} revision={} source={}", s.name(), s.silence().toMillis(),
              s.revision(), s.source().label());
        }
      } else if (e instanceof FleetEvent.MassVanish m) {
        log.warn("mass vanish vanished={} present_before={}", m.vanished(), m.presentBefore());
      } else if (e instanceof FleetEvent.ContactLost c) {
        log.warn("lost contact with etcd silence_ms={} reason=\"{}\"; nodes are UNKNOWN until it answers", c.silence().toMillis(), c.why());
      } else if (e instanceof FleetEvent.ContactRestored r) {
        log.info("contact with etcd restored silence_ms={}", r.silence().toMillis());
      } else if (e instanceof FleetEvent.NodeForgotten f) {
        log.info("node forgotten node={} revision={}", f.node(), f.revision());
      }
    }
  }
}
