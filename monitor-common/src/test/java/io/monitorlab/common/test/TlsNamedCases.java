package io.monitorlab.common.test;

import java.util.List;
import java.util.Map;

/**
 * The cases of the rule "do the options or the environment name TLS?", which the jars (TlsWarmUp.named) and the
 * wrappers (tls_named, to choose the class-data archive trained with TLS) must both follow: one table for both tests.
 *
 * @param env the environment
 * @param args the options
 * @param tls whether they name TLS
 */
public record TlsNamedCases(Map<String, String> env, List<String> args, boolean tls) {
  public static final List<TlsNamedCases> ALL = List.of(
      new TlsNamedCases(Map.of(), List.of("--cacert", "ca.pem"), true),
      new TlsNamedCases(Map.of(), List.of("--cert=c.pem", "--key=k.pem"), true),
      new TlsNamedCases(Map.of(), List.of("--endpoints", "https://10.0.0.1:2379"), true),
      new TlsNamedCases(Map.of("ETCDCTL_CACERT", "/etc/etcd/ca.pem"), List.of(), true),
      new TlsNamedCases(Map.of("ETCD_ENDPOINTS", "https://etcd:2379"), List.of(), true),
      new TlsNamedCases(Map.of("ETCD_ENDPOINTS", "127.0.0.1:2379", "ETCDCTL_CACERT", " "),
          List.of("--endpoints", "http://a:2379", "--node", "worker1", "--keepalive"), false),
      new TlsNamedCases(Map.of(), List.of("--user", "worker1", "--password-file", "/etc/pw"), false),
      new TlsNamedCases(Map.of(), List.of(), false));

  public TlsNamedCases {
    env = Map.copyOf(env);
    args = List.copyOf(args);
  }
}
