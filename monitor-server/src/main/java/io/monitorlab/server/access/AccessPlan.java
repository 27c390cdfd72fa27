package io.monitorlab.server.access;

import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import java.util.List;

/**
 * The etcd roles and users of least privilege (DESIGN.md, "Security"), as data: a node's identity may
 * write exactly its own heartbeat, registration, metrics and status keys and read exactly its own config
 * key (single keys, never a prefix: {@code worker1} must not cover {@code worker10}); the monitor reads
 * {@code /monitor/}; an operator also writes configs and forgets registrations. Pure and immutable.
 */
public final class AccessPlan {
  public static final String READER_ROLE = "monitor-reader";
  public static final String OPERATOR_ROLE = "monitor-operator";
  public static final String MONITOR_USER = "monitor";
  public static final String OPERATOR_USER = "operator";
  public static final String NODE_ROLE_PREFIX = "monitor-node-";

  /** One permission: {@code rangeEnd} empty for a single key. */
  public record Grant(Type type, String key, String rangeEnd) {
    public enum Type { READ, WRITE, READWRITE }

    static Grant exact(Type type, String key) {
      return new Grant(type, key, "");
    }

    static Grant prefix(Type type, String prefix) {
      return new Grant(type, prefix, prefixEnd(prefix));
    }

    /** {@code readwrite /monitor/status/worker1}, {@code read /monitor/ (prefix)}. */
    public String describe() {
      return type.name().toLowerCase(java.util.Locale.ROOT) + " " + key + (rangeEnd.isEmpty() ? "" : " (prefix)");
    }
  }

  public record Role(String name, List<Grant> grants) {
    public Role {
      grants = List.copyOf(grants);
    }
  }

  public record User(String name, String role) {}

  private AccessPlan() {}

  public static Role reader() {
    return new Role(READER_ROLE, List.of(Grant.prefix(Grant.Type.READ, Keys.ROOT)));
  }

  public static Role operator() {
    return new Role(OPERATOR_ROLE, List.of(
        Grant.prefix(Grant.Type.READ, Keys.ROOT),
        Grant.prefix(Grant.Type.READWRITE, Keys.CONFIG_PREFIX),
        // `monitor-server forget` deletes a registration.
        Grant.prefix(Grant.Type.READWRITE, Keys.NODES_PREFIX)));
  }

  /** The role of one node: its four keys to write, its config to read, each a single key. */
  public static Role node(String node) {
    NodeNames.require(node, "NODE");
    return new Role(nodeRole(node), List.of(
        Grant.exact(Grant.Type.READWRITE, Keys.heartbeat(node)),
        Grant.exact(Grant.Type.READWRITE, Keys.registration(node)),
        Grant.exact(Grant.Type.READWRITE, Keys.metrics(node)),
        Grant.exact(Grant.Type.READWRITE, Keys.status(node)),
        Grant.exact(Grant.Type.READ, Keys.config(node))));
  }

  public static String nodeRole(String node) {
    return NODE_ROLE_PREFIX + node;
  }

  /** The range end of a prefix: its last byte plus one, as etcdctl's --prefix computes it. */
  static String prefixEnd(String prefix) {
    char last = prefix.charAt(prefix.length() - 1);
    return prefix.substring(0, prefix.length() - 1) + (char) (last + 1);
  }
}
