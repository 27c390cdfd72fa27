package io.monitorlab.server.web;

import com.fasterxml.jackson.core.JsonGenerator;
import io.monitorlab.server.fleet.NodeView;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * One node as the HTTP side serves it: its API JSON and Prometheus samples, rendered once
 * per change (on the mirror's thread), so that requests for 10,000 nodes copy bytes instead of rendering.
 * The bytes live in arrays of the node's own that a change rewrites in place (they grow only when the
 * new bytes do not fit): arrays replaced at every change outlived the young generation and filled the old
 * one with garbage, whose full collections stopped every answer (docs/BENCHMARKS.md). Readers copy the
 * bytes out under the node's lock into an {@link AnswerBuffers.Buffer}, which never blocks, so a slow client
 * never holds a node.
 * This class is thread-safe.
 */
final class ServedNode {
  private byte[] json = new byte[0];
  private int jsonLength;
  private byte[] lines = new byte[0];
  /** {@code ends[f]}: where family {@code f}'s lines end; they start where the previous family's end. */
  private final int[] ends = new int[NodeFamily.ALL.length];

  private ServedNode() {}

  /** Renders {@code view}; {@code transitions[s]} counts its transitions to state {@code s} (null: none). */
  static ServedNode of(NodeView view, long[] transitions) {
    ServedNode node = new ServedNode();
    node.update(view, transitions);
    return node;
  }

  /** Renders the node's new {@code view} into its arrays. */
  void update(NodeView view, long[] transitions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = FleetJson.generator(out)) {
      FleetJson.node(g, view);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] rendered = out.toByteArray();
    NodeSeries series = NodeSeries.of(view, transitions);
    synchronized (this) {
      jsonLength = rendered.length;
      json = fit(json, jsonLength);
      System.arraycopy(rendered, 0, json, 0, jsonLength);
      lines = fit(lines, series.length());
      series.copyTo(lines, ends);
    }
  }

  /** A copy of the node's object of {@code /api/v1/nodes}, UTF-8. */
  synchronized byte[] json() {
    return Arrays.copyOf(json, jsonLength);
  }

  synchronized int jsonLength() {
    return jsonLength;
  }

  /** The bytes of all the node's samples. */
  synchronized int seriesLength() {
    return ends[ends.length - 1];
  }

  /** Writes the node's JSON object into {@code out}. */
  synchronized void writeJson(AnswerBuffers.Buffer out) {
    out.write(json, 0, jsonLength);
  }

  /** Writes the node's samples of {@code family} into {@code out}; false when it has none. */
  synchronized boolean writeSeries(NodeFamily family, AnswerBuffers.Buffer out) {
    int start = family.ordinal() == 0 ? 0 : ends[family.ordinal() - 1];
    out.write(lines, start, ends[family.ordinal()] - start);
    return ends[family.ordinal()] > start;
  }

  private static byte[] fit(byte[] array, int length) {
    return array.length >= length ? array : new byte[length + length / 4];
  }
}
