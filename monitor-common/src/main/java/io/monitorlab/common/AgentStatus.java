package io.monitorlab.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The value of {@code /monitor/status/<node>}, written by the agent at start and on every config
 * apply or rejection, bound to its lease:
 * <pre>{"config_revision": 42, "config_applied_at": 1732400000.123456, "rejected_revision": 43,
 *  "rejected_reason": "interval: ...", "version": "1.0.0", "started_at": 1732399990.5, "heartbeat_mode": "refresh",
 *  "heartbeat_ttl": 5}</pre>
 * {@code config_revision} is the mod revision of the config value in force (0: the default, no key);
 * {@code rejected_revision} and {@code rejected_reason} are null when nothing was rejected since the
 * last apply. Times are epoch seconds. {@code heartbeat_ttl} is the lease TTL the agent asked for, in
 * seconds (0 when unknown: left out); in refresh mode it rewrites its heartbeat every half of it, which
 * the monitor uses to tell a stale heartbeat. Immutable.
 */
public record AgentStatus(long configRevision, double configAppliedAt, Long rejectedRevision, String rejectedReason,
    String version, double startedAt, String heartbeatMode, long heartbeatTtl) {

  /** A status that does not say its TTL. */
  public AgentStatus(long configRevision, double configAppliedAt, Long rejectedRevision, String rejectedReason,
      String version, double startedAt, String heartbeatMode) {
    this(configRevision, configAppliedAt, rejectedRevision, rejectedReason, version, startedAt, heartbeatMode, 0);
  }

  /** The status after applying the config of {@code revision} at {@code at}: no rejection pending. */
  public AgentStatus applied(long revision, double at) {
    return new AgentStatus(revision, at, null, null, version, startedAt, heartbeatMode, heartbeatTtl);
  }

  /** The status after rejecting the config of {@code revision}: the config in force is unchanged. */
  public AgentStatus rejected(long revision, String reason) {
    return new AgentStatus(configRevision, configAppliedAt, revision, reason, version, startedAt, heartbeatMode, heartbeatTtl);
  }

  public String toJson() {
    ObjectNode node = Json.nodes().objectNode();
    node.put("config_revision", configRevision);
    node.put("config_applied_at", configAppliedAt);
    if (rejectedRevision == null) {
      node.putNull("rejected_revision");
      node.putNull("rejected_reason");
    } else {
      node.put("rejected_revision", rejectedRevision);
      node.put("rejected_reason", rejectedReason);
    }
    node.put("version", version);
    node.put("started_at", startedAt);
    node.put("heartbeat_mode", heartbeatMode);
    if (heartbeatTtl > 0) {
      node.put("heartbeat_ttl", heartbeatTtl);
    }
    return Py.dumps(node);
  }

  /** Reads a status value; empty when it is not an object with a numeric {@code config_revision}. */
  public static Optional<AgentStatus> parse(String value) {
    JsonNode json;
    try {
      json = Json.parse(value);
    } catch (Json.InvalidJsonException e) {
      return Optional.empty();
    }
    if (!json.isObject() || !json.path("config_revision").canConvertToLong()) {
      return Optional.empty();
    }
    JsonNode rejected = json.path("rejected_revision");
    return Optional.of(new AgentStatus(json.get("config_revision").longValue(),
        json.path("config_applied_at").asDouble(Double.NaN),
        rejected.canConvertToLong() && rejected.isIntegralNumber() ? rejected.longValue() : null,
        json.path("rejected_reason").isTextual() ? json.get("rejected_reason").textValue() : null,
        json.path("version").asText(""),
        json.path("started_at").asDouble(Double.NaN),
        json.path("heartbeat_mode").asText(""),
        json.path("heartbeat_ttl").canConvertToLong() ? Math.max(0, json.path("heartbeat_ttl").asLong()) : 0));
  }
}
