package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TlsWarmUpTest {
  private static boolean named(Map<String, String> env, String... args) {
    return TlsWarmUp.named(args, env);
  }

  @Test
  void aTlsOptionAnHttpsEndpointOrAnEtcdctlTlsVariableNameTls() {
    assertThat(named(Map.of(), "--cacert", "ca.pem")).isTrue();
    assertThat(named(Map.of(), "--cert=c.pem", "--key=k.pem")).isTrue();
    assertThat(named(Map.of(), "--endpoints", "https://10.0.0.1:2379")).isTrue();
    assertThat(named(Map.of("ETCDCTL_CACERT", "/etc/etcd/ca.pem"))).isTrue();
    assertThat(named(Map.of("ETCD_ENDPOINTS", "https://etcd:2379"))).isTrue();
  }

  @Test
  void plaintextNamesNoTls() {
    assertThat(named(Map.of("ETCD_ENDPOINTS", "127.0.0.1:2379", "ETCDCTL_CACERT", " "), "--endpoints", "http://a:2379",
        "--node", "worker1", "--keepalive")).isFalse();
    assertThat(named(Map.of(), "--user", "worker1", "--password-file", "/etc/pw")).isFalse();
  }
}
