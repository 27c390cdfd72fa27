package io.monitorlab.common;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.grpc.Status;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EtcdCluster} in TLS mode against real etcd 3.4: members speak https to clients and peers
 * with client-certificate auth, from certificates {@link TestPki} makes with openssl. The refusals
 * are asserted as etcd, netty and etcdctl report them, and printed, since user-facing error lines
 * are written from them. Refused clients are built with {@code waitForReady(false)}: jetcd's default
 * waits for a ready connection, so a refused handshake would show as a hang until the deadline.
 */
@Timeout(60)
class TlsEtcdClusterTest {
  private static final long CALL_SECONDS = 5;

  @RegisterExtension static final EtcdCluster etcd = EtcdCluster.tls(1);

  @Test
  void aOneMemberTlsClusterAnswersPutAndGetThroughItsClient() throws Exception {
    KV kv = etcd.client().getKVClient();
    kv.put(bytes("/tls/one"), bytes("answered")).get(CALL_SECONDS, SECONDS);

    assertThat(etcd.endpoints()).isEqualTo("https://127.0.0.1:" + etcd.member(0).clientPort());
    assertThat(etcd.member(0).clientUri().getScheme()).isEqualTo("https");
    assertThat(etcd.member(0).metricsUri().getScheme()).isEqualTo("http");
    assertThat(etcd.member(0).isHealthy()).isTrue();
    assertThat(valueOf(kv, "/tls/one")).isEqualTo("answered");
  }

  @Test
  void aThreeMemberTlsClusterElectsALeaderAndSurvivesItsRestart() throws Exception {
    try (EtcdCluster three = EtcdCluster.tls(3)) {
      three.start();
      int leader = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(three::leaderIndex, i -> i >= 0);

      three.restart(leader);
      writeAndRead(three, "/tls/after-restart");
      int other = (await().ignoreExceptions().until(three::leaderIndex, i -> i >= 0) + 1) % 3;
      three.kill(other);
      writeAndRead(three, "/tls/one-member-down");
      three.heal();
      three.pause(other);
      writeAndRead(three, "/tls/one-member-paused");
      three.resume(other);

      assertThat(three.endpoints().split(",")).hasSize(3).allMatch(e -> e.startsWith("https://127.0.0.1:"));
      await().atMost(Duration.ofSeconds(10)).until(() -> three.members().stream().allMatch(m -> m.isHealthy()));
    }
  }

  @Test
  void aClientCertificateFromAnUnknownCaIsRefusedInTheHandshake() {
    Throwable failure = failureOf(etcd.pki().otherCa().client("root"));

    // The JDK presents no certificate whose issuer is not among the CAs etcd names in its request,
    // so etcd logs a missing certificate rather than an unknown authority.
    assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(etcd.member(0).logTail())
        .contains("\"msg\":\"rejected connection\"").contains("tls: client didn't provide a certificate"));
  }

  @Test
  void aServerCertificateFromAnUnknownCaIsRefusedByTheClient() {
    TestPki other = etcd.pki().otherCa();
    try (Client client = Client.builder().endpoints(etcd.endpoints().split(","))
        .sslContext(other.sslContext(other.client("root"))).waitForReady(false).build()) {
      Throwable failure = failureOf(client);

      assertThat(Status.fromThrowable(failure).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(failure).hasStackTraceContaining("PKIX path building failed")
          .hasStackTraceContaining("unable to find valid certification path to requested target");
    }
  }

  @Test
  void expiredAndNotYetValidClientCertificatesAreRefused() {
    Throwable expired = failureOf(etcd.pki().expiredClient("root"));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(etcd.member(0).logTail())
        .contains("tls: failed to verify client certificate: x509: certificate has expired or is not yet valid: current time")
        .contains(" is after "));
    Throwable notYetValid = failureOf(etcd.pki().notYetValidClient("root"));
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(etcd.member(0).logTail()).contains(" is before "));

    // Under TLS 1.3 etcd refuses after the client has finished its half of the handshake, so the
    // client sees either the alert ("bad_certificate") or just the closed connection.
    assertThat(Status.fromThrowable(expired).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(Status.fromThrowable(notYetValid).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void nettyCannotReadPkcs1OrSec1KeysButEtcdctlCan() throws Exception {
    TestPki.KeyPair rsa = etcd.pki().clientRsaPkcs1("root");
    TestPki.KeyPair sec1 = etcd.pki().clientEcSec1("root");

    assertThatThrownBy(() -> etcd.clientBuilder(rsa)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("File does not contain valid private key: " + rsa.key());
    assertThatThrownBy(() -> etcd.clientBuilder(sec1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("File does not contain valid private key: " + sec1.key());
    for (TestPki.KeyPair pair : List.of(rsa, sec1)) {
      assertThat(etcdctl(List.of("--endpoints=" + etcd.endpoints(), "--cacert=" + etcd.caCert(),
          "--cert=" + pair.cert(), "--key=" + pair.key()), "endpoint", "health")).contains("is healthy");
    }
  }

  @Test
  void etcdctlWithTheRootCertificateWritesAndReadsThroughEndpoints() throws Exception {
    assertThat(etcdctl(etcd.etcdctlFlags(), "put", "/tls/cli", "by-etcdctl")).isEqualTo("exit=0 OK");
    assertThat(etcdctl(etcd.etcdctlFlags(), "get", "/tls/cli", "--print-value-only")).isEqualTo("exit=0 by-etcdctl");
    assertThat(valueOf(etcd.client().getKVClient(), "/tls/cli")).isEqualTo("by-etcdctl");
  }

  @Test
  void afterEnableAuthTheRootCertificateWorksAndAnUnknownCommonNameIsPermissionDenied() throws Exception {
    try (EtcdCluster secured = EtcdCluster.tls(1).authTokenTtl(Duration.ofSeconds(2))) {
      secured.start();
      String password = secured.enableAuth();
      TestPki.KeyPair nobody = secured.pki().client("nobody");

      writeAndRead(secured, "/tls/auth/root");
      Throwable refused;
      try (Client client = secured.clientBuilder(nobody).waitForReady(false).build()) {
        refused = failureOf(client);
      }
      String cli = etcdctl(List.of("--endpoints=" + secured.endpoints(), "--cacert=" + secured.caCert(),
          "--cert=" + nobody.cert(), "--key=" + nobody.key()), "get", "/tls/auth/root");
      // A token from a password login outranks the certificate's CN.
      try (Client byPassword = secured.clientBuilder(nobody).user(bytes("root")).password(bytes(password)).build()) {
        assertThat(valueOf(byPassword.getKVClient(), "/tls/auth/root")).isEqualTo("/tls/auth/root");
      }

      assertThat(Status.fromThrowable(refused).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(Status.fromThrowable(refused).getDescription()).isEqualTo("etcdserver: permission denied");
      assertThat(cli).startsWith("exit=1 ").endsWith("Error: etcdserver: permission denied");
      assertThat(commandLine(secured.member(0).pid())).containsSubsequence("--auth-token-ttl", "2");
    }
  }

  @Test
  void theTestPkiMakesTheKeyFormatsNamesAndValidityItPromises(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir);

    assertThat(Files.readAllLines(pki.client("a").key()).get(0)).isEqualTo("-----BEGIN PRIVATE KEY-----");
    assertThat(Files.readAllLines(pki.clientRsaPkcs1("a").key()).get(0)).isEqualTo("-----BEGIN RSA PRIVATE KEY-----");
    assertThat(Files.readAllLines(pki.clientEcSec1("a").key()).get(0)).isEqualTo("-----BEGIN EC PRIVATE KEY-----");
    X509Certificate server = x509(pki.server("m0").cert());
    assertThat(server.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
    assertThat(server.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(x509(pki.serverWithNames("elsewhere", "DNS:example.invalid").cert()).getSubjectAlternativeNames())
        .containsExactly(List.of(2, "example.invalid"));
    X509Certificate client = x509(pki.client("worker1").cert());
    assertThat(client.getSubjectX500Principal().getName()).isEqualTo("CN=worker1");
    assertThat(client.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
    client.verify(x509(pki.caCert()).getPublicKey());
    assertThat(x509(pki.otherCa().client("worker1").cert()).getIssuerX500Principal()).isNotEqualTo(client.getIssuerX500Principal());
    assertThatThrownBy(() -> x509(pki.expiredClient("a").cert()).checkValidity()).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(() -> x509(pki.expiredServer("m0").cert()).checkValidity()).isInstanceOf(CertificateExpiredException.class);
    assertThatThrownBy(() -> x509(pki.notYetValidClient("a").cert()).checkValidity()).isInstanceOf(CertificateNotYetValidException.class);
  }

  @Test
  void theTestPkiRefusesBadNamesAndReportsAFailingOpensslCommandOnOneLine(@TempDir Path dir) {
    TestPki pki = TestPki.create(dir);

    assertThatThrownBy(() -> pki.client("a/b")).hasMessage("certificate name must match [A-Za-z0-9][A-Za-z0-9._-]{0,63}, got 'a/b'");
    assertThatThrownBy(() -> pki.serverWithNames("x", "URI:x")).hasMessage("subject alternative name must look like DNS:name or IP:address, got 'URI:x'");
    assertThatThrownBy(() -> pki.serverWithNames("x", "IP:not-an-ip"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("`openssl ca -batch -notext -config ca.cnf -in server-x.csr")
        .hasMessageContaining("failed with exit 1: ")
        .hasMessageContaining("bad ip address")
        .hasMessageNotContaining("\n");
  }

  private static void writeAndRead(EtcdCluster cluster, String key) {
    // The client may still be bound to a member that just went away: retry until one answers.
    await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
      cluster.client().getKVClient().put(bytes(key), bytes(key)).get(2, SECONDS);
      assertThat(valueOf(cluster.client().getKVClient(), key)).isEqualTo(key);
    });
  }

  private static Throwable failureOf(TestPki.KeyPair cert) {
    try (Client client = etcd.clientBuilder(cert).waitForReady(false).build()) {
      return failureOf(client);
    }
  }

  /** The failure of one get, bounded by {@link #CALL_SECONDS}; printed with its causes. */
  private static Throwable failureOf(Client client) {
    CompletableFuture<?> call = client.getKVClient().get(bytes("/tls/probe"));
    Throwable failure = catchThrowable(() -> call.get(CALL_SECONDS, SECONDS));
    StringBuilder chain = new StringBuilder();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      chain.append("\n  <- ").append(t.getClass().getName()).append(": ").append(t.getMessage());
    }
    System.out.println("[tls] refused call:" + chain);
    assertThat(failure).as("the call must fail within %ss, not time out", CALL_SECONDS).isInstanceOf(ExecutionException.class);
    return failure;
  }

  private static String valueOf(KV kv, String key) throws Exception {
    return kv.get(bytes(key)).get(CALL_SECONDS, SECONDS).getKvs().get(0).getValue().toString(StandardCharsets.UTF_8);
  }

  /** Runs etcdctl (API v3); returns {@code exit=N output}, output stripped, stderr included. */
  private static String etcdctl(List<String> flags, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("etcdctl", "--dial-timeout=2s", "--command-timeout=4s"));
    cmd.addAll(flags);
    cmd.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true);
    builder.environment().put("ETCDCTL_API", "3");
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertThat(p.waitFor(10, SECONDS)).as("etcdctl %s exits", cmd).isTrue();
    String result = "exit=" + p.exitValue() + " " + out;
    System.out.println("[tls] " + String.join(" ", args) + ": " + result);
    return result;
  }

  private static List<String> commandLine(long pid) throws Exception {
    return List.of(Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline")).split("\0"));
  }

  private static X509Certificate x509(Path pem) throws Exception {
    try (var in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
