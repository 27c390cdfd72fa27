package io.monitorlab.server.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.monitorlab.common.NodeNames;
import io.monitorlab.server.fleet.FleetEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only routes: the dashboard's files, {@code /api/v1/...}, {@code /healthz}, {@code /readyz}.
 * Errors are JSON {@code {"error": "..."}} with their status: 400 bad input, 404 unknown, 405 a method
 * other than GET or HEAD. This class is thread-safe.
 */
final class Api implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(Api.class);
  private static final String NODES = "/api/v1/nodes";
  private static final String EVENTS = "/api/v1/events";
  private static final String WEB = "/io/monitorlab/server/web/";
  private static final Map<String, String> FILES = Map.of("/", "index.html", "/index.html", "index.html",
      "/app.js", "app.js", "/app.css", "app.css");
  static final int DEFAULT_LIMIT = 100;
  private static final byte[] END_FLEET = "]}".getBytes(StandardCharsets.UTF_8);

  private final FleetMirror mirror;
  private final EventStream events;
  private final AnswerBuffers buffers;

  Api(FleetMirror mirror, EventStream events, AnswerBuffers buffers) {
    this.mirror = mirror;
    this.buffers = buffers;
    this.events = events;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    if (path.equals(EVENTS) && method.equals("GET")) {
      // Stays open: the stream's writer thread owns the exchange from now on.
      events.open(exchange);
      return;
    }
    try (exchange) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        error(exchange, 405, "method " + method + " not allowed: the API is read-only (GET, HEAD)");
        return;
      }
      route(exchange, path);
    } catch (IOException e) {
      log.debug("http client gone path={} error=\"{}\"", exchange.getRequestURI(), e.getMessage());
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    if (path.equals(NODES)) {
      fleet(exchange);
    } else if (path.startsWith(NODES + "/")) {
      node(exchange, URLDecoder.decode(path.substring(NODES.length() + 1), StandardCharsets.UTF_8));
    } else if (path.equals("/api/v1/transitions")) {
      transitions(exchange);
    } else if (path.equals(EVENTS)) {
      exchange.getResponseHeaders().set("Allow", "GET");
      error(exchange, 405, "the event stream answers GET only");
    } else if (path.equals("/healthz")) {
      json(exchange, 200, g -> status(g, "ok", null));
    } else if (path.equals("/readyz")) {
      Optional<String> why = mirror.notReady();
      json(exchange, why.isPresent() ? 503 : 200, g -> status(g, why.isPresent() ? "not ready" : "ready", why.orElse(null)));
    } else if (FILES.containsKey(path)) {
      file(exchange, FILES.get(path));
    } else {
      error(exchange, 404, "no such path: " + path);
    }
  }

  /**
   * The fleet, streamed from each node's JSON rendered when it changed: with 10,000 nodes and their
   * metrics the answer is several MB, and rendering it per request took hundreds of milliseconds.
   * The same JSON as {@link FleetJson#fleet}, copied into one of the {@link AnswerBuffers} and sent with its length.
   */
  private void fleet(HttpExchange exchange) throws IOException {
    byte[] start = ("{\"revision\":" + mirror.revision() + ",\"etcd\":\"" + (mirror.etcdOk() ? "ok" : "lost")
        + "\",\"generated_at\":" + now() + ",\"nodes\":[").getBytes(StandardCharsets.UTF_8);
    ServedNode[] nodes = mirror.snapshot();
    AnswerBuffers.Buffer answer = buffers.take();
    try {
      long size = start.length + nodes.length + END_FLEET.length;
      for (ServedNode n : nodes) {
        size += n.jsonLength();
      }
      answer.reserve(size);
      answer.write(start, 0, start.length);
      for (int i = 0; i < nodes.length; i++) {
        if (i > 0) {
          answer.write(',');
        }
        nodes[i].writeJson(answer);
      }
      answer.write(END_FLEET, 0, END_FLEET.length);
      exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      answer.send(exchange);
    } finally {
      buffers.give(answer);
    }
  }

  private void node(HttpExchange exchange, String name) throws IOException {
    if (!NodeNames.isValid(name)) {
      error(exchange, 400, "bad node name \"" + io.monitorlab.common.OneLine.of(name)
          + "\": expected 1-" + NodeNames.MAX_LENGTH + " characters of [A-Za-z0-9._-], starting with a letter or digit");
      return;
    }
    Optional<ServedNode> node = mirror.node(name);
    if (node.isEmpty()) {
      error(exchange, 404, "unknown node: " + name);
      return;
    }
    send(exchange, 200, "application/json; charset=utf-8", node.get().json());
  }

  private void transitions(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    int limit = DEFAULT_LIMIT;
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith("limit=")) {
        String value = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
        try {
          limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
          limit = -1;
        }
        if (limit < 1 || limit > FleetMirror.KEPT_TRANSITIONS) {
          error(exchange, 400, "bad limit \"" + io.monitorlab.common.OneLine.of(value) + "\": expected a whole number from 1 to "
              + FleetMirror.KEPT_TRANSITIONS);
          return;
        }
      }
    }
    int n = limit;
    json(exchange, 200, g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("transitions");
      for (FleetEvent.Transition t : mirror.transitions(n)) {
        FleetJson.transition(g, t);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  private static void status(JsonGenerator g, String status, String why) throws IOException {
    g.writeStartObject();
    g.writeStringField("status", status);
    if (why != null) {
      g.writeStringField("reason", why);
    }
    g.writeEndObject();
  }

  private static void file(HttpExchange exchange, String name) throws IOException {
    byte[] body;
    try (InputStream in = Api.class.getResourceAsStream(WEB + name)) {
      if (in == null) {
        error(exchange, 404, "the dashboard is not in this build: " + name);
        return;
      }
      body = in.readAllBytes();
    }
    String type = name.endsWith(".js") ? "text/javascript; charset=utf-8"
        : name.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
    send(exchange, 200, type, body);
  }

  /** Writes the JSON that {@code body} generates, with {@code status}. */
  static void json(HttpExchange exchange, int status, JsonBody body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try (JsonGenerator g = FleetJson.generator(out)) {
      body.write(g);
    }
    send(exchange, status, "application/json; charset=utf-8", out.toByteArray());
  }

  static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, g -> {
      g.writeStartObject();
      g.writeStringField("error", message);
      g.writeEndObject();
    });
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }

  /** Writes a JSON body. */
  interface JsonBody {
    void write(JsonGenerator g) throws IOException;
  }
}
