package io.monitorlab.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What the bench needs from the monitor's {@code GET /api/v1/nodes} page, read with a streaming parser (the
 * page holds megabytes at 10,000 nodes): its revision, whether the monitor sees etcd, how many nodes it lists
 * and how many of those whose name starts with a prefix are ALIVE. Immutable.
 *
 * @param revision the page's {@code revision}, or -1 when absent
 * @param etcd the page's {@code etcd} ({@code ok} or {@code lost}), or empty when absent
 * @param nodes how many nodes the page lists
 * @param alive how many nodes named {@code prefix...} it lists with state ALIVE
 */
record NodesPage(long revision, String etcd, int nodes, int alive) {
  private static final JsonFactory JSON = new JsonFactory();

  /** Reads {@code body}; IllegalArgumentException when it is not such a page. */
  static NodesPage parse(byte[] body, String prefix) {
    try (JsonParser p = JSON.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      long revision = -1;
      String etcd = "";
      int[] counts = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("revision") && value.isNumeric()) {
          revision = p.getLongValue();
        } else if (field.equals("etcd") && value == JsonToken.VALUE_STRING) {
          etcd = p.getText();
        } else if (field.equals("nodes") && value == JsonToken.START_ARRAY) {
          counts = nodes(p, prefix);
        } else {
          p.skipChildren();
        }
      }
      if (counts == null) {
        throw new IllegalArgumentException("no \"nodes\" array");
      }
      return new NodesPage(revision, etcd, counts[0], counts[1]);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a nodes page: " + e.getMessage(), e);
    }
  }

  /** Reads the array up to its end: {listed, alive with the prefix}. */
  private static int[] nodes(JsonParser p, String prefix) throws IOException {
    int listed = 0;
    int alive = 0;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      listed++;
      String node = null;
      String state = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("node") && value == JsonToken.VALUE_STRING) {
          node = p.getText();
        } else if (field.equals("state") && value == JsonToken.VALUE_STRING) {
          state = p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (node != null && node.startsWith(prefix) && "ALIVE".equals(state)) {
        alive++;
      }
    }
    return new int[] {listed, alive};
  }
}
