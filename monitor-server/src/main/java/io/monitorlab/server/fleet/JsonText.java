package io.monitorlab.server.fleet;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.monitorlab.common.Json;
import java.io.IOException;

/**
 * A key's value as the fleet model keeps it: one compact text, parsed again when a reader needs its
 * fields. Kept as parsed trees, the heartbeat, config and metrics values of 10,000 nodes were most of the
 * monitor's objects, which every full collection walks and which every change turned into garbage of
 * the old generation (docs/BENCHMARKS.md); a text is two objects.
 * A value that is JSON is kept in Jackson's compact form: it has no line break, so it can be written into
 * an API answer or an event as it is. Any other value is kept as it was and read as a JSON string.
 * Immutable.
 */
public final class JsonText {
  private final String text;
  private final boolean json;

  private JsonText(String text, boolean json) {
    this.text = text;
    this.json = json;
  }

  /** {@code value} as found in etcd: JSON (made compact) or, when it is not JSON, a plain string. */
  public static JsonText of(String value) {
    try {
      return of(Json.parse(value));
    } catch (Json.InvalidJsonException e) {
      return new JsonText(value, false);
    }
  }

  /** A parsed value; a text node stays a JSON string. */
  public static JsonText of(JsonNode tree) {
    return new JsonText(tree.toString(), true);
  }

  /** The value as a tree, parsed anew at each call: a reader keeps it only as long as it needs it. */
  public JsonNode tree() {
    if (!json) {
      return TextNode.valueOf(text);
    }
    try {
      return Json.parse(text);
    } catch (Json.InvalidJsonException e) {
      throw new IllegalStateException("compact JSON no longer parses: " + e.getMessage(), e);
    }
  }

  /** Writes the value where {@code g} expects one. */
  public void write(JsonGenerator g) throws IOException {
    if (json) {
      g.writeRawValue(text);
    } else {
      g.writeString(text);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonText other && json == other.json && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode() * 31 + Boolean.hashCode(json);
  }

  /** The value as JSON: compact JSON, or a quoted string for a value that is not JSON. */
  @Override
  public String toString() {
    return json ? text : TextNode.valueOf(text).toString();
  }
}
