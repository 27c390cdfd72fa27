package io.monitorlab.common.tls;

import io.monitorlab.common.EtcdSecurity;
import java.util.Map;

/**
 * An agent given {@code --cacert} (or {@code ETCDCTL_CACERT}) trusts exactly that CA, so the JVM's own trust
 * store (some 140 CAs) is of no use to it; yet netty's TLS start builds the JDK's default context, which reads and
 * parses them all, at every TLS start (what that costs: docs/BENCHMARKS.md). {@link #skipWhenCaGiven}
 * sets that default trust store to none instead, unless {@code javax.net.ssl.trustStore} is already set. Only for
 * a process whose one TLS peer is etcd: the agent calls it.
 */
public final class JvmTrustStore {
  static final String PROPERTY = "javax.net.ssl.trustStore";

  private JvmTrustStore() {}

  /** Call first thing in {@code main}, before anything starts the JDK's TLS provider. */
  public static void skipWhenCaGiven(String[] args, Map<String, String> env) {
    if (System.getProperty(PROPERTY) == null && caGiven(args, env)) {
      // "NONE": a key store without a file; loaded empty, it trusts nothing.
      System.setProperty(PROPERTY, "NONE");
    }
  }

  /** Whether {@code --cacert} is among the options or {@code ETCDCTL_CACERT} is set. */
  static boolean caGiven(String[] args, Map<String, String> env) {
    for (String arg : args) {
      if (arg.equals("--cacert") || arg.startsWith("--cacert=")) {
        return true;
      }
    }
    String ca = env.get(EtcdSecurity.CACERT_VARIABLE);
    return ca != null && !ca.isBlank();
  }
}
