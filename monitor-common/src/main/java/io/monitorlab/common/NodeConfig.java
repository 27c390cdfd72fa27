package io.monitorlab.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A validated node config: {@code interval} seconds (> 0 and <= 86400), {@code metrics} (a list of
 * strings) and any other fields, kept in their order. Immutable and thread-safe.
 */
public final class NodeConfig {
  public static final double MAX_INTERVAL_SECONDS = 86400;
  /** The lab's default, used when a node has no config key. */
  public static final NodeConfig DEFAULT = defaultConfig();

  private final ObjectNode json;
  private final Duration interval;
  private final List<String> metrics;

  private NodeConfig(ObjectNode json, Duration interval, List<String> metrics) {
    this.json = json;
    this.interval = interval;
    this.metrics = metrics;
  }

  /**
   * Parses and validates a config value.
   *
   * @throws InvalidConfigException with a one-line reason naming the field, the value and what is expected
   */
  public static NodeConfig parse(String text) throws InvalidConfigException {
    JsonNode node;
    try {
      node = Json.parse(text);
    } catch (Json.InvalidJsonException e) {
      throw new InvalidConfigException(e.getMessage());
    }
    return of(node);
  }

  /** Validates an already parsed value. */
  public static NodeConfig of(JsonNode node) throws InvalidConfigException {
    if (!node.isObject()) {
      throw new InvalidConfigException("config must be a JSON object, got " + kind(node) + " " + shorten(Py.dumps(node)));
    }
    ObjectNode copy = node.deepCopy();
    JsonNode interval = copy.get("interval");
    if (interval == null) {
      throw new InvalidConfigException("\"interval\" is missing: expected a number of seconds > 0 and <= 86400");
    }
    if (!interval.isNumber() || !(interval.doubleValue() > 0) || interval.doubleValue() > MAX_INTERVAL_SECONDS) {
      throw new InvalidConfigException("\"interval\" must be a number of seconds > 0 and <= 86400, got "
          + shorten(Py.dumps(interval)));
    }
    JsonNode metrics = copy.get("metrics");
    if (metrics == null) {
      throw new InvalidConfigException("\"metrics\" is missing: expected a list of strings");
    }
    List<String> names = new ArrayList<>();
    if (metrics.isArray()) {
      for (JsonNode m : metrics) {
        if (!m.isTextual()) {
          throw new InvalidConfigException("\"metrics\" must be a list of strings, got element "
              + shorten(Py.dumps(m)) + " in " + shorten(Py.dumps(metrics)));
        }
        names.add(m.textValue());
      }
    } else {
      throw new InvalidConfigException("\"metrics\" must be a list of strings, got " + shorten(Py.dumps(metrics)));
    }
    return new NodeConfig(copy, toDuration(interval.doubleValue()), Collections.unmodifiableList(names));
  }

  /** The pause between two iterations, at least one millisecond. */
  public Duration interval() {
    return interval;
  }

  /** {@code str(interval)} as the lab prints it: {@code 10} or {@code 2.5}. */
  public String intervalText() {
    return Py.str(json.get("interval"));
  }

  public List<String> metrics() {
    return metrics;
  }

  /** {@code repr(metrics)}: {@code ['cpu', 'memory']}. */
  public String metricsRepr() {
    return Py.repr(metrics);
  }

  /** {@code repr(config)} as the lab prints it: {@code {'interval': 10, 'metrics': ['cpu']}}. */
  public String repr() {
    return Py.repr(json);
  }

  /** The value as {@code json.dumps} writes it, for etcd. */
  public String toJson() {
    return Py.dumps(json);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeConfig other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return repr();
  }

  private static Duration toDuration(double seconds) {
    long nanos = (long) Math.ceil(seconds * 1e9);
    return Duration.ofNanos(Math.max(nanos, 1_000_000));
  }

  private static String kind(JsonNode node) {
    if (node.isArray()) {
      return "a list";
    }
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    return "null";
  }

  private static String shorten(String s) {
    return s.length() > 80 ? s.substring(0, 77) + "..." : s;
  }

  // Parsed from its text, as every config is: this also loads the JSON parser when the agent starts, so that
  // its classes are in the class-data archive (whose training run never receives a config) and the first
  // config update does not pay for loading them (docs/BENCHMARKS.md, "config").
  private static NodeConfig defaultConfig() {
    try {
      return parse("{\"interval\": 10, \"metrics\": [\"cpu\", \"memory\", \"disk\"]}");
    } catch (InvalidConfigException e) {
      throw new AssertionError(e);
    }
  }

  /** A config value that breaks the rules; the message is one line. */
  public static final class InvalidConfigException extends Exception {
    public InvalidConfigException(String message) {
      super(message);
    }
  }
}
