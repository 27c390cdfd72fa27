package io.monitorlab.common;

/**
 * etcd and this process disagree on who may talk (TLS trust, certificate, password, permission): no
 * retry cures it. The message is the one line to show; processes exit 2 on it. See {@link AccessErrors}.
 */
public final class EtcdAccessException extends RuntimeException {
  public EtcdAccessException(String line, Throwable cause) {
    super(line, cause);
  }
}
