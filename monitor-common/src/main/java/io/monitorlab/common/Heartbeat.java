package io.monitorlab.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The value of {@code /monitor/heartbeat/<node>}: {@code {"status": "alive", "ts": <epoch seconds>,
 * "hostname": "<node>"}}, written byte for byte as the Python lab writes it. Immutable.
 *
 * @param status {@code alive}, or {@code leaving} on a graceful stop
 * @param ts epoch seconds with a fractional part
 * @param hostname the node name
 */
public record Heartbeat(String status, double ts, String hostname) {
  public static final String ALIVE = "alive";
  public static final String LEAVING = "leaving";

  public static Heartbeat alive(String node, Instant now) {
    return new Heartbeat(ALIVE, epochSeconds(now), node);
  }

  public static Heartbeat leaving(String node, Instant now) {
    return new Heartbeat(LEAVING, epochSeconds(now), node);
  }

  public boolean isLeaving() {
    return LEAVING.equals(status);
  }

  /** The value as {@code json.dumps} writes the lab's dict. */
  public String toJson() {
    ObjectNode node = Json.nodes().objectNode();
    node.put("status", status);
    node.put("ts", ts);
    node.put("hostname", hostname);
    return Py.dumps(node);
  }

  public Instant time() {
    if (Double.isNaN(ts)) {
      return Instant.EPOCH;
    }
    if (ts >= Instant.MAX.getEpochSecond()) {
      return Instant.MAX;
    }
    if (ts < Instant.MIN.getEpochSecond()) {
      return Instant.MIN;
    }
    long seconds = (long) Math.floor(ts);
    long nanos = Math.round((ts - seconds) * 1e6) * 1000;
    return Instant.ofEpochSecond(seconds, Math.min(nanos, 999_999_000));
  }

  /**
   * Reads a heartbeat value written by any agent; empty when it is not a JSON object. Missing or
   * odd fields are tolerated: a present key is what makes a node alive.
   */
  public static Optional<Heartbeat> parse(String value) {
    JsonNode json;
    try {
      json = Json.parse(value);
    } catch (Json.InvalidJsonException e) {
      return Optional.empty();
    }
    if (!json.isObject()) {
      return Optional.empty();
    }
    JsonNode status = json.get("status");
    JsonNode ts = json.get("ts");
    JsonNode hostname = json.get("hostname");
    return Optional.of(new Heartbeat(
        status != null && status.isTextual() ? status.textValue() : "",
        ts != null && ts.isNumber() ? ts.doubleValue() : Double.NaN,
        hostname != null && hostname.isTextual() ? hostname.textValue() : ""));
  }

  private static double epochSeconds(Instant now) {
    return now.getEpochSecond() + (now.getNano() / 1000) / 1e6;
  }
}
