package io.monitorlab.server.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import io.monitorlab.server.fleet.FleetEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/v1/events}: Server-Sent Events to every connected client. Transitions go out at once,
 * in order; node changes are coalesced: whatever changed since the last message goes out as one
 * {@code nodes} event, so a flood of heartbeats is not a flood of events. Each client has its own
 * writer thread and a bounded queue: a slow or gone client is dropped and never holds up the others,
 * the fleet loop or an HTTP worker. This class is thread-safe.
 */
public final class EventStream implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  static final long PING_EVERY_MS = 15_000;
  private static final int CLIENT_QUEUE = 256;
  private static final byte[] CLOSE = new byte[0];

  private final List<Client> clients = new CopyOnWriteArrayList<>();
  private final Map<String, ServedNode> pendingNodes = new LinkedHashMap<>();
  private final List<String> pendingRemoved = new ArrayList<>();
  private final List<byte[]> pendingMessages = new ArrayList<>();
  private final Thread flusher = new Thread(this::flushLoop, "sse-flush");
  private volatile boolean closed;
  private long revision;

  public EventStream() {
    flusher.setDaemon(true);
    flusher.start();
  }

  /** Takes one batch of events (from the mirror's thread); returns at once. */
  void publish(List<FleetEvent> events, FleetMirror mirror) {
    if (clients.isEmpty()) {
      return;
    }
    synchronized (this) {
      for (FleetEvent e : events) {
        if (e instanceof FleetEvent.Transition t) {
          // A transition comes with the node's data as it is after it: the row and the feed agree.
          mirror.node(t.name()).ifPresent(n -> pendingNodes.put(t.name(), n));
          pendingMessages.add(message("transition", FleetJson.transition(t)));
        } else if (e instanceof FleetEvent.NodeChanged c) {
          mirror.node(c.node().node()).ifPresent(n -> pendingNodes.put(c.node().node(), n));
        } else if (e instanceof FleetEvent.NodeForgotten f) {
          pendingNodes.remove(f.node());
          pendingRemoved.add(f.node());
        } else if (e instanceof FleetEvent.ContactLost || e instanceof FleetEvent.ContactRestored) {
          pendingMessages.add(message("etcd", String.format(Locale.ROOT, "{\"etcd\": \"%s\", \"silence_seconds\": %.1f}",
              mirror.etcdOk() ? "ok" : "lost", mirror.silence().toMillis() / 1000.0)));
        }
      }
      revision = mirror.revision();
      notifyAll();
    }
  }

  /**
   * Registers a client, then sends the response headers: every event published once the client can see
   * the stream is open reaches it (registered after the headers, an event published in between was lost
   * to it, which the http bench caught on a busy machine).
   */
  void open(HttpExchange exchange) throws IOException {
    Client client = new Client(exchange);
    clients.add(client);
    try {
      exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      clients.remove(client);
      throw e;
    }
    client.thread.start();
  }

  int clientCount() {
    return clients.size();
  }

  private void flushLoop() {
    while (!closed) {
      List<byte[]> out;
      synchronized (this) {
        while (!closed && pendingMessages.isEmpty() && pendingNodes.isEmpty() && pendingRemoved.isEmpty()) {
          try {
            wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        out = new ArrayList<>(pendingMessages);
        if (!pendingNodes.isEmpty() || !pendingRemoved.isEmpty()) {
          out.add(nodesMessage());
        }
        pendingMessages.clear();
        pendingNodes.clear();
        pendingRemoved.clear();
      }
      for (Client c : clients) {
        for (byte[] m : out) {
          if (!c.queue.offer(m)) {
            log.info("event stream client too slow, dropped remote={} queued={}", c.remote, c.queue.size());
            c.drop();
            break;
          }
        }
      }
    }
  }

  private byte[] nodesMessage() {
    ByteArrayOutputStream json = new ByteArrayOutputStream();
    try (JsonGenerator g = FleetJson.generator(json)) {
      g.writeStartObject();
      g.writeNumberField("revision", revision);
      g.writeArrayFieldStart("nodes");
      for (ServedNode n : pendingNodes.values()) {
        g.writeRawValue(new String(n.json(), StandardCharsets.UTF_8));
      }
      g.writeEndArray();
      g.writeArrayFieldStart("removed");
      for (String n : pendingRemoved) {
        g.writeString(n);
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("cannot render nodes event", e);
    }
    return message("nodes", json.toString(StandardCharsets.UTF_8));
  }

  /** One SSE message; the data is one line of JSON (JSON escapes line breaks inside strings). */
  private static byte[] message(String event, String data) {
    return ("event: " + event + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      notifyAll();
    }
    for (Client c : clients) {
      c.drop();
    }
  }

  /** One connected client and its writer thread. */
  private final class Client {
    final HttpExchange exchange;
    final String remote;
    final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(CLIENT_QUEUE);
    final Thread thread;

    Client(HttpExchange exchange) {
      this.exchange = exchange;
      this.remote = String.valueOf(exchange.getRemoteAddress());
      this.thread = new Thread(this::write, "sse-client");
      thread.setDaemon(true);
    }

    void write() {
      OutputStream out = exchange.getResponseBody();
      try {
        while (!closed) {
          byte[] m = queue.poll(PING_EVERY_MS, TimeUnit.MILLISECONDS);
          if (m == CLOSE) {
            break;
          }
          out.write(m == null ? ": ping\n\n".getBytes(StandardCharsets.UTF_8) : m);
          for (byte[] more = queue.poll(); more != null && more != CLOSE; more = queue.poll()) {
            out.write(more);
          }
          out.flush();
        }
      } catch (IOException e) {
        log.debug("event stream client gone remote={} error=\"{}\"", remote, e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        clients.remove(this);
        exchange.close();
      }
    }

    void drop() {
      clients.remove(this);
      queue.clear();
      queue.offer(CLOSE);
      thread.interrupt();
    }
  }
}
