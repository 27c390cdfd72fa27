package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class JvmTrustStoreTest {
  @Test
  void aCaOptionOrEtcdctlCacertMeansTheJvmTrustStoreIsNotNeeded() {
    assertThat(JvmTrustStore.caGiven(new String[] {"--node", "w1", "--cacert", "/etc/etcd/ca.pem"}, Map.of())).isTrue();
    assertThat(JvmTrustStore.caGiven(new String[] {"--cacert=/etc/etcd/ca.pem"}, Map.of())).isTrue();
    assertThat(JvmTrustStore.caGiven(new String[0], Map.of("ETCDCTL_CACERT", "/etc/etcd/ca.pem"))).isTrue();
  }

  @Test
  void httpsAloneOrAClientCertificateAloneStillNeedIt() {
    assertThat(JvmTrustStore.caGiven(new String[] {"--endpoints", "https://etcd:2379", "--cert", "c", "--key", "k"},
        Map.of("ETCDCTL_CACERT", " ", "ETCD_ENDPOINTS", "https://etcd:2379"))).isFalse();
  }

  /** In a JVM of its own: the default trust store is read once per JVM and kept. */
  @Test
  void withNoneTheJdksDefaultContextTrustsNoCaAndWithoutItTheJvmsCas() throws Exception {
    assertThat(defaultAcceptedIssuers("-D" + JvmTrustStore.PROPERTY + "=NONE")).isEqualTo("0");
    assertThat(Integer.parseInt(defaultAcceptedIssuers("-Dunrelated=1"))).isGreaterThan(10);
  }

  private static String defaultAcceptedIssuers(String property) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), property, "-cp",
        System.getProperty("java.class.path"), DefaultIssuers.class.getName()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  /** Prints how many CAs the default trust manager accepts. */
  public static final class DefaultIssuers {
    public static void main(String[] args) throws Exception {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init((KeyStore) null);
      System.out.println(((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers().length);
    }
  }

  @Test
  void anOwnSettingIsKept() throws Exception {
    String before = System.getProperty(JvmTrustStore.PROPERTY);
    try {
      System.setProperty(JvmTrustStore.PROPERTY, "/etc/my/truststore.p12");
      JvmTrustStore.skipWhenCaGiven(new String[] {"--cacert", "ca.pem"}, Map.of());
      assertThat(System.getProperty(JvmTrustStore.PROPERTY)).isEqualTo("/etc/my/truststore.p12");

      System.clearProperty(JvmTrustStore.PROPERTY);
      JvmTrustStore.skipWhenCaGiven(new String[] {"--cacert", "ca.pem"}, Map.of());
      assertThat(System.getProperty(JvmTrustStore.PROPERTY)).isEqualTo("NONE");
    } finally {
      if (before == null) {
        System.clearProperty(JvmTrustStore.PROPERTY);
      } else {
        System.setProperty(JvmTrustStore.PROPERTY, before);
      }
    }
  }
}
