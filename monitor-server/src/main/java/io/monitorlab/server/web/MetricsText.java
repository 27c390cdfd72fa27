package io.monitorlab.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4). The monitor-wide families
 * ({@code monitor_build_info}, {@code monitor_etcd_up}) come from a Prometheus client registry; the
 * per-node families are copied from each node's {@link NodeSeries}, rendered when the node changed: the
 * client's own exposition builds an object per sample and sorts them at every scrape, which at 10,000
 * nodes (200,000 samples) is what made a scrape take half a second. Written node by node as they are
 * at that moment (chunked: a node may change while the answer is written), not buffered. Not gzipped:
 * Prometheus accepts identity, and compressing 15 MB costs more than sending it. This class is thread-safe.
 */
final class MetricsText implements HttpHandler {
  static final int WARM_UP_PASSES = 3;
  private final FleetMirror mirror;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  MetricsText(FleetMirror mirror, String version) {
    this.mirror = mirror;
    Info.builder().name("monitor_build_info").help("The monitor's version").labelNames("version").register(registry)
        .setLabelValues(version);
    GaugeWithCallback.builder().name("monitor_etcd_up").help("1 while the monitor can see etcd")
        .callback(cb -> cb.call(mirror.etcdOk() ? 1 : 0)).register(registry);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
      ServedNode[] nodes = mirror.snapshot();
      ByteArrayOutputStream monitorWide = new ByteArrayOutputStream(512);
      writer.write(monitorWide, registry.scrape(), EscapingScheme.ALLOW_UTF8);
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(200, head ? -1 : 0);
      if (!head) {
        try (OutputStream out = new BufferedOutputStream(exchange.getResponseBody(), 64 * 1024)) {
          monitorWide.writeTo(out);
          write(nodes, out);
        }
      }
    }
  }

  /**
   * Runs the per-node part of a scrape over {@code nodes} into nothing, {@link #WARM_UP_PASSES} times, so that
   * the JIT has compiled that loop before the first real scrape: run by the interpreter, the first scrapes
   * after the start took several times as long as later ones (docs/BENCHMARKS.md). Called once, off the
   * sink's thread, when the first listing is in.
   */
  static void warmUp(ServedNode[] nodes) {
    try {
      for (int i = 0; i < WARM_UP_PASSES; i++) {
        try (OutputStream out = new BufferedOutputStream(OutputStream.nullOutputStream(), 64 * 1024)) {
          write(nodes, out);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the stream writes nowhere
    }
  }

  /** The per-node families in name order (those without samples left out), nodes in the given order. */
  static void write(ServedNode[] nodes, OutputStream out) throws IOException {
    ServedNode.Scratch scratch = new ServedNode.Scratch();
    for (NodeFamily f : NodeFamily.ALL) {
      boolean headed = false;
      for (ServedNode n : nodes) {
        int length = n.copySeries(f, scratch);
        if (length > 0) {
          if (!headed) {
            out.write(f.header());
            headed = true;
          }
          out.write(scratch.bytes(), 0, length);
        }
      }
    }
  }
}
