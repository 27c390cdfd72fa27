package io.monitorlab.server.fleet;

/**
 * One change of a key under {@code /monitor/} as etcd reported it (a watch event, or an entry of a
 * listing with {@code delete} false). {@code value} is empty for a delete.
 */
public record KeyEvent(String key, String value, boolean delete, long modRevision) {
  public static KeyEvent put(String key, String value, long modRevision) {
    return new KeyEvent(key, value, false, modRevision);
  }

  public static KeyEvent delete(String key, long modRevision) {
    return new KeyEvent(key, "", true, modRevision);
  }
}
