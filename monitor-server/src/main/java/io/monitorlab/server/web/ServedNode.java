package io.monitorlab.server.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.monitorlab.server.fleet.NodeView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One node as the HTTP side serves it: its view, and its API JSON and Prometheus samples rendered once
 * per change (on the mirror's thread), so that requests for 10,000 nodes copy bytes instead of rendering.
 *
 * @param view what the monitor knows of the node
 * @param json the node's object of {@code /api/v1/nodes}, UTF-8
 * @param series the node's samples of {@code /metrics}
 */
record ServedNode(NodeView view, byte[] json, NodeSeries series) {

  /** Renders {@code view}; {@code transitions[s]} counts its transitions to state {@code s} (null: none). */
  static ServedNode of(NodeView view, long[] transitions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FleetJson.generator(out)) {
      FleetJson.node(g, view);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ServedNode(view, out.toByteArray(), NodeSeries.of(view, transitions));
  }
}
