package io.monitorlab.common;

import io.grpc.Status;
import io.monitorlab.common.tls.TlsMaterial;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Failures that no retry cures because etcd and this process disagree on who may talk: TLS trust,
 * host names, certificate validity, a refused client certificate, a wrong password, a missing
 * permission. Each becomes one line a person can act on, naming the endpoints and the file to look at.
 * The loops stop on them and the processes exit 2, instead of retrying an "outage" forever.
 * Stateless and thread-safe.
 */
public final class AccessErrors {
  private AccessErrors() {}

  /** The line for {@code t} if it is such a failure, else null. */
  public static String describe(Throwable t, EtcdEndpoints endpoints) {
    String at = endpoints.urls();
    EtcdSecurity security = endpoints.security();
    TlsMaterial tls = security.tlsMaterial();
    for (Throwable cur = EtcdErrors.unwrap(t); cur != null; cur = cur.getCause()) {
      if (cur instanceof EtcdAccessException) {
        return cur.getMessage();
      }
      String m = String.valueOf(cur.getMessage());
      String lower = m.toLowerCase(Locale.ROOT);
      if (cur instanceof SSLException) {
        return tls(lower, m, at, tls);
      }
      if (lower.contains("authentication failed, invalid user id or password")) {
        return "etcd at " + at + " refused user " + security.user() + ": wrong user name or password (check the file of "
            + "--password-file/" + EtcdSecurity.PASSWORD_FILE_VARIABLE + ")";
      }
      if (lower.contains("authentication is not enabled")) {
        return "etcd at " + at + " has authentication off, so it takes no user and password: leave out --user/"
            + EtcdSecurity.USER_VARIABLE + " (or enable auth: monitor-server access init)";
      }
      if (lower.contains("user name not found") || lower.contains("user name is empty")) {
        return "etcd at " + at + " knows no user for " + security.identity() + " (" + firstLine(m) + "): create it "
            + "(monitor-server access add-node NODE) or use another identity";
      }
      if (lower.contains("permission denied") || EtcdErrors.codeOf(cur) == Status.Code.PERMISSION_DENIED) {
        return "etcd at " + at + " denied " + security.identity() + " permission (" + firstLine(m) + ")";
      }
    }
    return null;
  }

  private static String tls(String lower, String message, String at, TlsMaterial tls) {
    String ca = tls == null || tls.caFile() == null ? "the JVM's trust store (give --cacert/ETCDCTL_CACERT)"
        : "--cacert " + tls.caFile();
    if (lower.contains("pkix path building failed") || lower.contains("unable to find valid certification path")) {
      return "etcd's certificate at " + at + " is not signed by a CA in " + ca + ": give the CA that signed etcd's "
          + "--cert-file";
    }
    if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
      return "etcd's certificate at " + at + " does not name the host it was reached at (" + firstLine(message)
          + "): use an endpoint its subjectAltName lists, or reissue it with this name";
    }
    if (lower.contains("validity check failed") || lower.contains("notafter") || lower.contains("notbefore")
        || lower.contains("certificate expired") || lower.contains("not yet valid")) {
      return "etcd's certificate at " + at + " has expired or is not yet valid (" + firstLine(message)
          + "): renew it on the server, or check this machine's clock";
    }
    if (lower.contains("bad_certificate") || lower.contains("certificate_required") || lower.contains("unknown_ca")
        || lower.contains("certificate_unknown") || lower.contains("certificate_expired")) {
      String ours = tls != null && tls.hasClientCertificate()
          ? "our client certificate " + tls.certFile() + " (" + tls.clientSubject() + ")" : "the connection: no client certificate was given";
      return "etcd at " + at + " refused " + ours + " (" + firstLine(message) + "): etcd runs with --client-cert-auth; "
          + "give --cert/--key signed by the CA of its --trusted-ca-file";
    }
    if (lower.contains("not an ssl/tls record")) {
      return "etcd at " + at + " does not speak TLS: use http:// endpoints and leave out --cacert/--cert/--key";
    }
    return "TLS with etcd at " + at + " failed: " + firstLine(message);
  }

  private static String firstLine(String m) {
    int nl = m.indexOf('\n');
    return OneLine.of(nl < 0 ? m : m.substring(0, nl));
  }
}
