package io.monitorlab.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.monitorlab.common.Json;
import io.monitorlab.common.Py;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.web.FleetJson;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's transitions as JSON lines, one flushed line each, for operators and tests to diff
 * against an {@code etcdctl watch} record:
 * {@code {"time": "2026-11-24T00:00:00.123456Z", "node": "worker1", "state": "DEAD", "reason": "lease expired", "revision": 42, "source": "watch"}}.
 * The time is the transition's, as the model decided it (the API shows the same). Besides the states,
 * {@code KEPT} (a deletion undone), {@code STALE} and {@code FRESH} (a live node's heartbeat value stopped
 * being rewritten, or was written again) explain what an etcdctl record shows. Used from its sink
 * thread only; {@link #close()} is idempotent.
 */
final class TransitionLog implements FleetSink {
  private static final Logger log = LoggerFactory.getLogger(TransitionLog.class);

  private final Path path;
  private final BufferedWriter out;
  private boolean failed;
  private boolean closed;

  private TransitionLog(Path path, BufferedWriter out) {
    this.path = path;
    this.out = out;
  }

  /**
   * Opens {@code path} for appending.
   *
   * @throws IllegalArgumentException one line naming the option and why the file cannot be written
   */
  static TransitionLog open(Path path, String option) {
    try {
      return new TransitionLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot write \"" + path + "\": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  @Override
  public String name() {
    return "transition-log";
  }

  @Override
  public void accept(List<FleetEvent> events) {
    for (FleetEvent e : events) {
      if (e instanceof FleetEvent.Transition t) {
        // MISSING is a death found by a listing: DEAD, with its own reason.
        write(t.name(), t.state() == NodeState.MISSING ? "DEAD" : t.state().name(), t.reason().text(), t.revision(),
            t.source().label(), t.at());
      } else if (e instanceof FleetEvent.NodeKept k) {
        // Whoever diffs this log against an etcdctl watch record sees why that DELETE made no DEAD.
        write(k.node(), "KEPT", "key deleted too soon for a lease expiry and written again at revision " + k.putRevision(),
            k.deleteRevision(), "watch", System.currentTimeMillis() / 1000.0);
      } else if (e instanceof FleetEvent.Staleness s) {
        // Not a state: the node stays ALIVE; revision is its last write (the one that went stale, or the new one).
        write(s.name(), s.label(), s.text(), s.revision(), s.source().label(), s.at());
      }
    }
  }

  private void write(String node, String state, String reason, long revision, String source, double at) {
    if (failed || closed) {
      return;
    }
    ObjectNode line = Json.nodes().objectNode();
    line.put("time", FleetJson.isoTime(at));
    line.put("node", node);
    line.put("state", state);
    line.put("reason", reason);
    line.put("revision", revision);
    line.put("source", source);
    try {
      out.write(Py.dumps(line));
      out.newLine();
      out.flush();
    } catch (IOException e) {
      failed = true;
      log.error("transition log write failed path={} error=\"{}\"; no further lines are written", path, e.getMessage());
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      out.close();
    } catch (IOException e) {
      log.warn("transition log close failed path={} error=\"{}\"", path, e.getMessage());
    }
  }
}
