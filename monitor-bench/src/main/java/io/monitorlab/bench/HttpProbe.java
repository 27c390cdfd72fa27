package io.monitorlab.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The http group's measurements of a monitor serving HTTP, once its cold start is done: waits for
 * {@code /readyz} 200 and every node of the fleet ALIVE in {@code /api/v1/nodes}; times sequential
 * {@code GET /metrics} and {@code GET /api/v1/nodes} (whole body read); then, with an SSE client on
 * {@code /api/v1/events}, puts a heartbeat for a fresh node and deletes it again, one change every
 * --sse-every, timing each from etcd's answer to the bench's put or delete to the transition read by the
 * client. Runs on the probe thread.
 */
final class HttpProbe implements FleetProbe {
  private static final Logger log = LoggerFactory.getLogger(HttpProbe.class);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration ALIVE_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration SSE_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(500);

  private final BenchContext ctx;
  private final HttpSettings settings;
  private final URI base;
  private final HttpSamples out;
  private final Optional<CurlTimer> curl = CurlTimer.find();
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  HttpProbe(BenchContext ctx, HttpSettings settings, int port, HttpSamples out) {
    this.ctx = ctx;
    this.settings = settings;
    this.base = URI.create("http://127.0.0.1:" + port);
    this.out = out;
  }

  @Override
  public void run(Child monitor, String fleetName) throws Exception {
    if (!awaitReady(monitor, ctx.node(fleetName + "-"))) {
      return;
    }
    log.info("http probe requests={} gap={} path=/metrics", settings.requests(), DurationConverter.format(settings.requestGap()));
    requests("/metrics", out.metrics, out.metricsCurl);
    log.info("http probe requests={} path=/api/v1/nodes", settings.requests());
    requests("/api/v1/nodes", out.nodes, out.nodesCurl);
    log.info("http probe sse samples={} every={}", settings.sseSamples(), DurationConverter.format(settings.sseEvery()));
    sse(fleetName);
    log.info("http probe done");
  }

  /**
   * Waits for /readyz 200, then for every node of the fleet ALIVE in the API. False when /readyz never said 200;
   * true after {@link #ALIVE_TIMEOUT} without all ALIVE too (etcd or the bench lost leases: the monitor still
   * lists N nodes and is measured, the all-ALIVE figure is missing).
   */
  private boolean awaitReady(Child monitor, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    double readyMs = Double.NaN;
    long aliveBy = Long.MAX_VALUE;
    while (System.nanoTime() - deadline < 0 && monitor.isAlive()) {
      long now = System.nanoTime();
      if (Double.isNaN(readyMs) && status("/readyz") == 200) {
        readyMs = Pace.ms(now - monitor.startedNanos());
        aliveBy = now + ALIVE_TIMEOUT.toNanos();
      }
      if (!Double.isNaN(readyMs)) {
        NodesPage page = nodesPage(prefix);
        boolean all = page != null && page.alive() >= settings.agents();
        if (all || now - aliveBy >= 0) {
          out.ready(readyMs, all ? Pace.ms(System.nanoTime() - monitor.startedNanos()) : Double.NaN);
          log.info("http monitor ready ms={} all_alive_ms={} listed={} alive={}", Math.round(readyMs),
              all ? Math.round(out.allAliveMs) : "-", page == null ? "-" : page.nodes(), page == null ? "-" : page.alive());
          return true;
        }
      }
      Pace.until(now + POLL.toNanos());
    }
    log.warn("http monitor never ready within {}s; see {}", READY_TIMEOUT.toSeconds(), ctx.logDir());
    return false;
  }

  private int status(String path) throws InterruptedException {
    try {
      return http.send(get(path), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  private NodesPage nodesPage(String prefix) throws InterruptedException {
    try {
      HttpResponse<byte[]> r = http.send(get("/api/v1/nodes"), HttpResponse.BodyHandlers.ofByteArray());
      return r.statusCode() == 200 ? NodesPage.parse(r.body(), prefix) : null;
    } catch (IOException | IllegalArgumentException e) {
      log.debug("http nodes page not read error=\"{}\"", e.toString());
      return null;
    }
  }

  /**
   * Times {@code settings.requests()} sequential GETs of {@code path} with java.net.http, each followed by one with
   * curl when it is installed, so that both clients meet the same monitor at the same moments.
   */
  private void requests(String path, HttpSamples.Requests into, HttpSamples.Requests curlInto) throws InterruptedException {
    byte[] buffer = new byte[64 * 1024];
    for (int i = 0; i < settings.requests(); i++) {
      if (curl.isPresent()) {
        Optional<CurlTimer.Answer> a = curl.get().get(base.resolve(path), REQUEST_TIMEOUT.toSeconds());
        if (a.isPresent()) {
          out.request(curlInto, a.get().ms(), a.get().bytes());
        } else {
          out.failed(curlInto);
          log.warn("http request failed path={} client=curl", path);
        }
        Pace.until(System.nanoTime() + settings.requestGap().toNanos());
      }
      long t0 = System.nanoTime();
      try {
        // Read to the end and counted, not kept: a 15 MB array per answer would time the bench's own heap.
        HttpResponse<InputStream> r = http.send(get(path), HttpResponse.BodyHandlers.ofInputStream());
        long length = 0;
        try (InputStream body = r.body()) {
          for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
            length += n;
          }
        }
        long t1 = System.nanoTime();
        if (r.statusCode() == 200) {
          out.request(into, Pace.ms(t1 - t0), length);
        } else {
          out.failed(into);
        }
      } catch (IOException e) {
        out.failed(into);
        log.warn("http request failed path={} error=\"{}\"", path, e.toString());
      }
      Pace.until(System.nanoTime() + settings.requestGap().toNanos());
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(base.resolve(path)).timeout(REQUEST_TIMEOUT).GET().build();
  }

  /** Transitions of fresh nodes: a put makes node k ALIVE, the next change deletes its key (DEAD). */
  private void sse(String fleetName) throws Exception {
    KV kv = ctx.client().getKVClient();
    long lease = EtcdClients.call(ctx.client().getLeaseClient().grant(600), ctx.endpoints()).getID();
    try (SseClient client = SseClient.open(http, base.resolve("/api/v1/events"), REQUEST_TIMEOUT)) {
      long start = System.nanoTime();
      for (int i = 0; i < settings.sseSamples(); i++) {
        Pace.until(start + i * settings.sseEvery().toNanos());
        String node = ctx.node(fleetName + "-sse-" + i / 2);
        boolean alive = i % 2 == 0;
        ByteSequence key = EtcdClients.bytes(Keys.heartbeat(node));
        CompletableFuture<Long> answered = alive
            ? kv.put(key, EtcdClients.bytes(Heartbeat.alive(node, Instant.now()).toJson()),
                PutOption.builder().withLeaseId(lease).build()).thenApply(r -> System.nanoTime())
            : kv.delete(key).thenApply(r -> System.nanoTime());
        long at = answered.get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        OptionalLong read = client.awaitTransition(node, alive ? "ALIVE" : "DEAD", SSE_TIMEOUT);
        if (read.isPresent()) {
          out.sse(alive, Pace.ms(read.getAsLong() - at));
        } else {
          out.sseMissing();
          log.warn("http sse transition not read within {}s node={} state={} events_read={}", SSE_TIMEOUT.toSeconds(), node,
              alive ? "ALIVE" : "DEAD", client.events());
        }
      }
      out.sseStream(client.events(), client.bytes(), (System.nanoTime() - start) / 1e9);
    } finally {
      ctx.client().getLeaseClient().revoke(lease);
    }
  }
}
