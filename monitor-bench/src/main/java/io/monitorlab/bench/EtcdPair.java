package io.monitorlab.bench;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdSecurity;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.TestPki;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two throwaway 1-member etcds started alike by monitor-common's test support ({@link EtcdCluster}: free loopback
 * ports, data in a temporary folder, the same Raft timing): one plaintext, one serving TLS only, with
 * {@code --client-cert-auth}, from certificates that {@link TestPki} makes with openssl (EC P-256, client keys in
 * PKCS#8). The agents get a client certificate of their own; the bench's clients present the cluster's root
 * certificate. {@link #close()} stops both and deletes their folders; idempotent. Thread-safe.
 */
final class EtcdPair implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EtcdPair.class);
  /** The CN of the agents' client certificate; etcd takes it as the user name (auth stays off here). */
  static final String AGENT_CN = "bench-agent";

  private final EtcdCluster plain;
  private final EtcdCluster tls;
  private final TestPki.KeyPair agentCert;

  private EtcdPair(EtcdCluster plain, EtcdCluster tls, TestPki.KeyPair agentCert) {
    this.plain = plain;
    this.tls = tls;
    this.agentCert = agentCert;
  }

  /** Starts both and waits until they are healthy; stops what it started when one fails. */
  static EtcdPair start() throws IOException {
    EtcdCluster plain = EtcdCluster.single();
    EtcdCluster tls = EtcdCluster.tls(1);
    try {
      plain.start();
      tls.start();
      EtcdPair pair = new EtcdPair(plain, tls, tls.pki().client(AGENT_CN));
      log.info("etcd pair started plaintext={} tls={} ca={}", plain.endpoints(), tls.endpoints(), tls.caCert());
      return pair;
    } catch (IOException | RuntimeException e) {
      tls.close();
      plain.close();
      throw e;
    }
  }

  /** The plaintext etcd, as the bench reaches it. */
  EtcdEndpoints plain() {
    return EtcdEndpoints.parse(plain.endpoints(), "plaintext etcd");
  }

  /** The TLS etcd ({@code https://}), as the bench reaches it: trusting the test CA, presenting the root certificate. */
  EtcdEndpoints tls() {
    TestPki.KeyPair root = tls.rootCert();
    EtcdSecurity security = EtcdSecurity.resolve(tls.caCert().toString(), root.cert().toString(), root.key().toString(),
        null, null, Map.of());
    return EtcdEndpoints.parse(tls.endpoints(), "TLS etcd").with(security);
  }

  /** What an agent gets after {@code --endpoints https://...}: the CA and its own client certificate. */
  List<String> agentOptions() {
    return List.of("--cacert", tls.caCert().toString(), "--cert", agentCert.cert().toString(),
        "--key", agentCert.key().toString());
  }

  /** The TLS etcd's plain-http {@code /metrics} and {@code /health} listener: its client port wants a certificate. */
  EtcdEndpoints tlsMetrics() {
    return EtcdEndpoints.parse(tls.member(0).metricsUri().toString(), "TLS etcd's metrics listener");
  }

  /** How the TLS etcd runs, for the JSON header. */
  String describeTls() {
    return tls.endpoints() + " --client-cert-auth, --cert-file/--key-file/--trusted-ca-file from openssl: "
        + "EC P-256 (prime256v1) keys, SHA-256 signatures; agent certificate CN=" + AGENT_CN + ", key in PKCS#8";
  }

  @Override
  public void close() {
    tls.close();
    plain.close();
  }
}
