package io.monitorlab.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * The value of {@code /monitor/nodes/<node>}: {@code {"state": "active", "since": <epoch seconds>,
 * "hostname": "<node>"}}. An active node without a heartbeat key is dead; a node that stopped
 * gracefully is {@code "left"}. Immutable.
 */
public record Registration(String state, double since, String hostname) {
  public static final String ACTIVE = "active";
  public static final String LEFT = "left";

  public static Registration active(String node, Instant now) {
    return new Registration(ACTIVE, Heartbeat.alive(node, now).ts(), node);
  }

  public static Registration left(String node, Instant now) {
    return new Registration(LEFT, Heartbeat.alive(node, now).ts(), node);
  }

  public boolean isActive() {
    return ACTIVE.equals(state);
  }

  public String toJson() {
    ObjectNode node = Json.nodes().objectNode();
    node.put("state", state);
    node.put("since", since);
    node.put("hostname", hostname);
    return Py.dumps(node);
  }

  /** Reads a registration; a value that is not an object with a string state counts as active. */
  public static Optional<Registration> parse(String value) {
    try {
      JsonNode json = Json.parse(value);
      if (json.isObject() && json.path("state").isTextual()) {
        return Optional.of(new Registration(json.get("state").textValue(),
            json.path("since").isNumber() ? json.get("since").doubleValue() : Double.NaN,
            json.path("hostname").asText("")));
      }
    } catch (Json.InvalidJsonException e) {
      // a foreign value: treated as active below
    }
    return Optional.empty();
  }
}
