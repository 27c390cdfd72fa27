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
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's transitions as JSON lines, one flushed line each, for operators and tests to diff
 * against an {@code etcdctl watch} record:
 * {@code {"time": "2026-11-24T00:00:00.123456Z", "node": "worker1", "state": "DEAD", "reason": "lease expired", "revision": 42, "source": "watch"}}.
 * Used from the monitor loop's thread only; {@link #close()} is idempotent.
 */
final class TransitionLog implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TransitionLog.class);

  private final Path path;
  private final BufferedWriter out;
  private final Clock clock;
  private boolean failed;

  private TransitionLog(Path path, BufferedWriter out, Clock clock) {
    this.path = path;
    this.out = out;
    this.clock = clock;
  }

  /** A log that writes nothing. */
  static TransitionLog none() {
    return new TransitionLog(null, null, Clock.systemUTC());
  }

  /**
   * Opens {@code path} for appending.
   *
   * @throws IllegalArgumentException one line naming the option and why the file cannot be written
   */
  static TransitionLog open(Path path, String option, Clock clock) {
    try {
      return new TransitionLog(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), clock);
    } catch (IOException e) {
      throw new IllegalArgumentException(option + ": cannot write \"" + path + "\": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + e.getMessage()));
    }
  }

  /** Appends one transition; {@code source} is {@code watch} or {@code list}. */
  void append(AliveSet.Transition t, String source) {
    write(t.node(), t.kind() == AliveSet.Kind.MISSING ? "DEAD" : t.kind().name(), reason(t.kind(), source), t.revision(), source);
  }

  /**
   * Records a deletion that was not reported (state {@code KEPT}, the deletion's revision): whoever
   * diffs this log against an {@code etcdctl watch} record sees why that DELETE made no DEAD.
   */
  void appendKept(EventHold.Kept k) {
    write(k.node(), "KEPT", "key deleted too soon for a lease expiry and written again at revision " + k.putRevision(),
        k.deleteRevision(), "watch");
  }

  private void write(String node, String state, String reason, long revision, String source) {
    if (out == null || failed) {
      return;
    }
    ObjectNode line = Json.nodes().objectNode();
    line.put("time", Instant.now(clock).toString());
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

  static String reason(AliveSet.Kind kind, String source) {
    return switch (kind) {
      case ALIVE -> "list".equals(source) ? "heartbeat key listed" : "heartbeat key written";
      case DEAD -> "list".equals(source) ? "heartbeat key missing when listed again" : "lease expired";
      case LEFT -> "graceful shutdown";
      case MISSING -> "registered but no heartbeat key";
    };
  }

  @Override
  public void close() {
    if (out == null) {
      return;
    }
    try {
      out.close();
    } catch (IOException e) {
      log.warn("transition log close failed path={} error=\"{}\"", path, e.getMessage());
    }
  }
}
