package io.monitorlab.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A client of the monitor's {@code GET /api/v1/events} stream, as a dashboard or script is: it reads every
 * event on its own thread and stamps each {@code transition} (System.nanoTime(), taken when its blank line was
 * read) under its node and state, for {@link #awaitTransition}. {@link #close()} is idempotent. Thread-safe.
 */
final class SseClient implements AutoCloseable {
  private final Map<String, CompletableFuture<Long>> transitions = new ConcurrentHashMap<>();
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicReference<InputStream> body = new AtomicReference<>();
  private final CompletableFuture<Void> connected = new CompletableFuture<>();
  private final Thread reader;
  private volatile boolean closed;

  private SseClient(HttpClient http, URI uri) {
    HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
    this.reader = new Thread(() -> read(http, request), "sse-reader");
    reader.setDaemon(true);
  }

  /** Connects and waits until the response headers came (events from then on are seen). */
  static SseClient open(HttpClient http, URI uri, Duration timeout) throws InterruptedException, IOException {
    SseClient c = new SseClient(http, uri);
    c.reader.start();
    try {
      c.connected.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return c;
    } catch (ExecutionException | TimeoutException e) {
      c.close();
      throw new IOException("cannot open the event stream " + uri + ": " + (e.getCause() == null ? e : e.getCause()), e);
    }
  }

  private void read(HttpClient http, HttpRequest request) {
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      body.set(r.body());
      if (r.statusCode() != 200) {
        throw new IOException("status " + r.statusCode());
      }
      connected.complete(null);
      SseParser parser = new SseParser();
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null && !closed; line = lines.readLine()) {
          long now = System.nanoTime();
          bytes.addAndGet(line.length() + 1);
          parser.line(line).ifPresent(e -> onEvent(e, now));
        }
      }
    } catch (IOException e) {
      connected.completeExceptionally(e);
    } catch (InterruptedException e) {
      connected.completeExceptionally(e);
      Thread.currentThread().interrupt();
    }
  }

  private void onEvent(SseParser.Event e, long now) {
    events.incrementAndGet();
    if (!e.type().equals("transition")) {
      return;
    }
    try {
      JsonNode t = Json.parse(e.data());
      transitions.computeIfAbsent(key(t.path("node").asText(), t.path("state").asText()), k -> new CompletableFuture<>())
          .complete(now);
    } catch (Json.InvalidJsonException ex) {
      // not a transition the bench waits for
    }
  }

  private static String key(String node, String state) {
    return node + " " + state;
  }

  /** When the first transition of {@code node} to {@code state} was read, waiting at most {@code timeout}. */
  OptionalLong awaitTransition(String node, String state, Duration timeout) throws InterruptedException {
    try {
      return OptionalLong.of(transitions.computeIfAbsent(key(node, state), k -> new CompletableFuture<>())
          .get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException | ExecutionException e) {
      return OptionalLong.empty();
    }
  }

  /** Events read so far (every type). */
  long events() {
    return events.get();
  }

  /** Characters read so far. */
  long bytes() {
    return bytes.get();
  }

  @Override
  public void close() {
    closed = true;
    InputStream in = body.get();
    if (in != null) {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    reader.interrupt();
  }
}
