package io.monitorlab.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.monitorlab.server.fleet.FleetSink;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor's HTTP side: a JDK {@link HttpServer} with its own small pool of worker threads, serving
 * the dashboard, the API, the event stream and Prometheus {@code /metrics}, all read from one
 * {@link FleetMirror}. Event-stream clients are handed to writer threads of their own, so open streams
 * never hold a worker: {@code /metrics} and the API answer however many dashboards are open.
 * {@link #close(long)} is idempotent. This class is thread-safe.
 */
public final class HttpOutput implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpOutput.class);
  private static final int WORKERS = 4;
  /** The JDK server's switch for TCP_NODELAY on its connections, read when the first server is made. */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // The last bytes of an answer (the end of a chunked body, a small event) go out at once instead of
    // waiting for the client's delayed ACK of the segment before (Nagle's algorithm): without it a scrape
    // took one delayed-ACK wait longer every other time (docs/BENCHMARKS.md). An operator's -D wins.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService workers;
  private final FleetMirror mirror;
  private final EventStream events;
  private final AtomicInteger closed = new AtomicInteger();

  private HttpOutput(HttpServer server, ExecutorService workers, FleetMirror mirror, EventStream events) {
    this.server = server;
    this.workers = workers;
    this.mirror = mirror;
    this.events = events;
  }

  /**
   * Listens on {@code address} and serves from then on.
   *
   * @throws IllegalArgumentException one line when the address cannot be bound (in use, not local)
   */
  public static HttpOutput start(InetSocketAddress address, String option, String version) throws IOException {
    HttpServer server;
    try {
      server = HttpServer.create(address, 64);
    } catch (BindException e) {
      throw new IllegalArgumentException(option + ": cannot listen on " + address.getHostString() + ":" + address.getPort()
          + " (" + e.getMessage() + "): choose a free port, or off");
    }
    EventStream events = new EventStream();
    AtomicInteger n = new AtomicInteger();
    ExecutorService workers = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    ((ThreadPoolExecutor) workers).allowCoreThreadTimeOut(true);
    AnswerBuffers buffers = new AnswerBuffers();
    FleetMirror mirror = new FleetMirror(events, listed -> workers.execute(() -> warmUp(listed, buffers)));
    Api api = new Api(mirror, events, buffers);
    MetricsText metrics = new MetricsText(mirror, buffers, version);
    server.createContext("/", api);
    server.createContext("/metrics", exchange -> {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        api.handle(exchange);
      } else if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
        api.handle(exchange);
      } else {
        metrics.handle(exchange);
      }
    });
    server.setExecutor(workers);
    server.start();
    log.info("http listening address={}", server.getAddress());
    return new HttpOutput(server, workers, mirror, events);
  }

  /** The scrape's loop compiled before the first scrape ({@link MetricsText#warmUp}); logged, never thrown. */
  private static void warmUp(FleetMirror mirror, AnswerBuffers buffers) {
    long started = System.nanoTime();
    try {
      MetricsText.warmUp(mirror, buffers);
      log.debug("http scrape warmed up nodes={} ms={}", mirror.snapshot().length, (System.nanoTime() - started) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      log.warn("http scrape warm-up failed: {}", e.toString());
    }
  }

  /** The sink that feeds what the HTTP side shows. */
  public FleetSink sink() {
    return mirror;
  }

  /** Where it listens (the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops listening and ends the event streams; returns by {@code deadline} (System.nanoTime). */
  public void close(long deadline) {
    if (closed.getAndIncrement() > 0) {
      return;
    }
    events.close();
    // The exchanges in flight finish by the deadline; the event streams are already ended. (JDK 17's
    // HttpServer.stop(delay) would wait the whole delay even when no exchange is left.)
    workers.shutdown();
    try {
      workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.stop(0);
    workers.shutdownNow();
  }

  @Override
  public void close() {
    close(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
  }

}
