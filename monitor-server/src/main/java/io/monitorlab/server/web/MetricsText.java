package io.monitorlab.server.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;

/**
 * {@code GET /metrics} in the Prometheus text format (0.0.4). The monitor-wide families
 * ({@code monitor_build_info}, {@code monitor_etcd_up}) come from a Prometheus client registry; the
 * per-node families are copied from each node's {@link NodeSeries}, rendered when the node changed: the
 * client's own exposition builds an object per sample and sorts them at every scrape, which at 10,000
 * nodes (200,000 samples) is what made a scrape take half a second. Each node is copied as it is at that
 * moment into one of the {@link AnswerBuffers}, then sent with its length. Not gzipped:
 * Prometheus accepts identity, and compressing 15 MB costs more than sending it. This class is thread-safe.
 */
final class MetricsText implements HttpHandler {
  static final int WARM_UP_PASSES = 3;
  private final FleetMirror mirror;
  private final AnswerBuffers buffers;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  MetricsText(FleetMirror mirror, AnswerBuffers buffers, String version) {
    this.mirror = mirror;
    this.buffers = buffers;
    Info.builder().name("monitor_build_info").help("The monitor's version").labelNames("version").register(registry)
        .setLabelValues(version);
    GaugeWithCallback.builder().name("monitor_etcd_up").help("1 while the monitor can see etcd")
        .callback(cb -> cb.call(mirror.etcdOk() ? 1 : 0)).register(registry);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getResponseHeaders().set("Content-Type", PrometheusTextFormatWriter.CONTENT_TYPE);
      AnswerBuffers.Buffer answer = buffers.take();
      try {
        writer.write(answer, registry.scrape(), EscapingScheme.ALLOW_UTF8);
        write(mirror.snapshot(), answer);
        answer.send(exchange);
      } finally {
        buffers.give(answer);
      }
    }
  }

  /**
   * Runs the per-node part of a scrape, {@link #WARM_UP_PASSES} times, into a buffer that is then dropped, so
   * that the JIT has compiled that loop before the first real scrape and the buffers have their size: run by
   * the interpreter, the first scrapes after the start took several times as long as later ones
   * (docs/BENCHMARKS.md). Called once, off the sink's thread, when the first listing is in.
   */
  static void warmUp(FleetMirror mirror, AnswerBuffers buffers) throws IOException {
    AnswerBuffers.Buffer answer = buffers.take();
    try {
      for (int i = 0; i < WARM_UP_PASSES; i++) {
        answer.truncate(0);
        write(mirror.snapshot(), answer);
      }
    } finally {
      buffers.give(answer);
    }
  }

  /** The per-node families in name order (those without samples left out), nodes in the given order. */
  static void write(ServedNode[] nodes, AnswerBuffers.Buffer out) {
    long size = 0;
    for (NodeFamily f : NodeFamily.ALL) {
      size += f.header().length;
    }
    for (ServedNode n : nodes) {
      size += n.seriesLength();
    }
    out.reserve(size);
    for (NodeFamily f : NodeFamily.ALL) {
      int before = out.length();
      out.write(f.header(), 0, f.header().length);
      boolean any = false;
      for (ServedNode n : nodes) {
        any |= n.writeSeries(f, out);
      }
      if (!any) {
        out.truncate(before);
      }
    }
  }
}
