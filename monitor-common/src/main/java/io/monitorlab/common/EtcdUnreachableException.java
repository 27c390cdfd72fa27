package io.monitorlab.common;

/** etcd did not answer a one-shot call; the message is one actionable line naming the endpoints. */
public final class EtcdUnreachableException extends RuntimeException {
  public EtcdUnreachableException(EtcdEndpoints endpoints, Throwable cause) {
    super("cannot reach etcd at " + endpoints.joined() + " (from " + endpoints.source() + "): "
        + EtcdErrors.describe(cause) + "; check that etcd runs there and that --endpoints/ETCD_ENDPOINTS is right"
        + (endpoints.tls() ? "" : " (if etcd uses TLS: https:// endpoints and --cacert)"),
        cause);
  }
}
