package io.monitorlab.server.web;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.monitorlab.common.AgentStatus;
import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.JsonText;
import io.monitorlab.server.fleet.NodeState;
import io.monitorlab.server.fleet.NodeView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The JSON of the monitor's API: a node ({@code GET /api/v1/nodes/{node}}), the fleet and a transition,
 * shared by the HTTP API, the event stream and {@code monitor-server status -o json}. Foreign values are
 * written as they are (they are JSON already); NaN times are null. This class is thread-safe.
 */
public final class FleetJson {
  private static final JsonFactory FACTORY = new ObjectMapper().getFactory();

  private FleetJson() {}

  public static JsonGenerator generator(OutputStream out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  public static JsonGenerator generator(java.io.Writer out) throws IOException {
    return FACTORY.createGenerator(out);
  }

  /** {@code {"revision": N, "etcd": "ok", "generated_at": T, "nodes": [...]}}. */
  public static void fleet(JsonGenerator g, long revision, boolean etcdOk, double now, Iterable<NodeView> nodes)
      throws IOException {
    g.writeStartObject();
    g.writeNumberField("revision", revision);
    g.writeStringField("etcd", etcdOk ? "ok" : "lost");
    time(g, "generated_at", now);
    g.writeArrayFieldStart("nodes");
    for (NodeView v : nodes) {
      node(g, v);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  public static void node(JsonGenerator g, NodeView v) throws IOException {
    g.writeStartObject();
    g.writeStringField("node", v.node());
    g.writeStringField("state", v.state().name());
    g.writeBooleanField("stale", v.stale());
    time(g, "since", v.since());
    time(g, "last_heartbeat", v.lastHeartbeat());
    tree(g, "heartbeat", v.heartbeat());
    config(g, v);
    tree(g, "metrics", v.metrics());
    AgentStatus s = v.status();
    if (s == null) {
      g.writeNullField("agent");
    } else {
      g.writeObjectFieldStart("agent");
      g.writeStringField("version", s.version());
      time(g, "started_at", s.startedAt());
      g.writeStringField("heartbeat_mode", s.heartbeatMode());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static void config(JsonGenerator g, NodeView v) throws IOException {
    AgentStatus s = v.status();
    JsonNode c = v.config() == null ? null : v.config().tree();
    g.writeObjectFieldStart("config");
    g.writeNumberField("desired_revision", v.desiredRevision());
    if (s == null) {
      g.writeNullField("applied_revision");
      g.writeNullField("applied_at");
      g.writeNullField("rejected_revision");
      g.writeNullField("rejected_reason");
    } else {
      g.writeNumberField("applied_revision", s.configRevision());
      time(g, "applied_at", s.configAppliedAt());
      if (s.rejectedRevision() == null) {
        g.writeNullField("rejected_revision");
      } else {
        g.writeNumberField("rejected_revision", s.rejectedRevision());
      }
      g.writeStringField("rejected_reason", s.rejectedReason());
    }
    tree(g, "interval", c != null && c.path("interval").isNumber() ? c.get("interval") : null);
    tree(g, "metrics", c != null && c.path("metrics").isArray() ? c.get("metrics") : null);
    g.writeEndObject();
  }

  /** A transition as the transition log writes it: MISSING is a DEAD found by a listing. */
  public static void transition(JsonGenerator g, FleetEvent.Transition t) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", isoTime(t.at()));
    g.writeStringField("node", t.name());
    g.writeStringField("state", t.state() == NodeState.MISSING ? "DEAD" : t.state().name());
    g.writeStringField("reason", t.reason().text());
    g.writeNumberField("revision", t.revision());
    g.writeStringField("source", t.source().label());
    g.writeEndObject();
  }

  /** One transition as a JSON text (for the event stream). */
  public static String transition(FleetEvent.Transition t) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      transition(g, t);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Epoch seconds as ISO-8601 UTC with microseconds, e.g. {@code 2026-11-24T00:00:00.123456Z}. */
  public static String isoTime(double epochSeconds) {
    return Instant.EPOCH.plus(Math.round(epochSeconds * 1e6), ChronoUnit.MICROS).toString();
  }

  private static void time(JsonGenerator g, String name, double epochSeconds) throws IOException {
    if (Double.isNaN(epochSeconds) || Double.isInfinite(epochSeconds)) {
      g.writeNullField(name);
    } else {
      g.writeNumberField(name, epochSeconds);
    }
  }

  private static void tree(JsonGenerator g, String name, JsonNode value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeTree(value);
    }
  }

  private static void tree(JsonGenerator g, String name, JsonText value) throws IOException {
    g.writeFieldName(name);
    if (value == null) {
      g.writeNull();
    } else {
      value.write(g);
    }
  }
}
