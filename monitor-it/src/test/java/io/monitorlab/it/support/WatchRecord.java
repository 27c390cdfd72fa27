package io.monitorlab.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A plain {@code etcdctl watch --prefix PREFIX --rev N -w json} running next to the system under
 * test: the ground truth of what happened under a prefix, event by event, in revision order.
 * Starting at an explicit revision makes it replay history, so it misses nothing even if its
 * stream comes up late. Thread-safe (the events are parsed from the captured lines on each call).
 */
public final class WatchRecord {
  /** One event: PUT (with value and lease) or DELETE, at {@code revision}. */
  public record Event(long revision, Type type, String key, String value, long lease) {
    public enum Type { PUT, DELETE }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final RunningProcess process;

  private WatchRecord(RunningProcess process) {
    this.process = process;
  }

  /** Starts recording every event under {@code prefix} from {@code fromRevision} on. */
  public static WatchRecord start(Processes processes, String endpoints, String prefix, long fromRevision) {
    return new WatchRecord(processes.start("etcdctl-watch",
        Command.etcdctl(endpoints, "watch", "--prefix", prefix, "--rev", String.valueOf(fromRevision), "-w", "json")));
  }

  public RunningProcess process() {
    return process;
  }

  /** Every event recorded so far, in the order etcd sent them (revision order). */
  public List<Event> events() {
    List<Event> out = new ArrayList<>();
    for (String line : process.stdoutText()) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode response = read(line);
      for (JsonNode e : response.path("Events")) {
        JsonNode kv = e.path("kv");
        Event.Type type = e.path("type").asInt(0) == 1 ? Event.Type.DELETE : Event.Type.PUT;
        out.add(new Event(kv.path("mod_revision").asLong(), type, decode(kv.path("key").asText("")),
            decode(kv.path("value").asText("")), kv.path("lease").asLong(0)));
      }
    }
    return out;
  }

  /** The revision of the last event recorded, or 0. */
  public long lastRevision() {
    List<Event> events = events();
    return events.isEmpty() ? 0 : events.get(events.size() - 1).revision();
  }

  private static JsonNode read(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException("etcdctl watch printed a line that is not JSON: " + line, e);
    }
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
