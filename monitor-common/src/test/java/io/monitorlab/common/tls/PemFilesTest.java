package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.monitorlab.common.cli.Setting;
import io.monitorlab.common.test.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys and certificates as openssl, cfssl and cert-manager write them, read without BouncyCastle, and presented
 * to a server that requires a client certificate.
 */
class PemFilesTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void makePki() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  @Test
  void pkcs8Pkcs1RsaAndSec1EcKeysAreReadAndBelongToTheirCertificates() throws Exception {
    for (TestPki.KeyPair pair : new TestPki.KeyPair[] {pki.client("p8"), pki.clientRsaPkcs1("rsa"), pki.clientEcSec1("ec")}) {
      String header = Files.readAllLines(pair.key()).get(0);
      TlsMaterial m = load(pair.cert(), pair.key());
      assertThat(m.hasClientCertificate()).as(header).isTrue();
      assertThat(m.key().getAlgorithm()).as(header).isIn("RSA", "EC");
      // Our own key manager (ClientKeyManager) presents it: the server of a handshake in memory gets it.
      assertThat(InMemoryHandshake.clientCertificateSeenByServer(m, pki).getSubjectX500Principal().getName()).as(header)
          .isEqualTo(m.clientSubject());
    }
  }

  @Test
  void ourKeyIsOfferedOnlyForKeyTypesOfItsOwnAlgorithm() {
    TestPki.KeyPair ec = pki.client("only-ec");
    TlsMaterial m = load(ec.cert(), ec.key());
    ClientKeyManager km = new ClientKeyManager(m.key(), m.chain());

    assertThat(km.chooseEngineClientAlias(new String[] {"RSA"}, null, null)).isNull();
    String alias = km.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null);
    assertThat(km.getPrivateKey(alias)).isSameAs(m.key());
    assertThat(km.getCertificateChain(alias)).containsExactlyElementsOf(m.chain());
    assertThat(km.getPrivateKey("another")).isNull();
    assertThat(km.chooseServerAlias("EC", null, null)).isNull();
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() {
    TestPki.KeyPair a = pki.client("a");
    TestPki.KeyPair b = pki.client("b");
    assertThatThrownBy(() -> load(a.cert(), b.key())).hasMessage("--key: " + b.key()
        + ": this key does not belong to the certificate " + a.cert() + " (CN=a): give the key the certificate was made for");
  }

  @Test
  void certificatesOutsideTheirValidityAreRefusedWithTheDate() {
    TestPki.KeyPair expired = pki.expiredClient("old");
    TestPki.KeyPair early = pki.notYetValidClient("new");
    assertThatThrownBy(() -> load(expired.cert(), expired.key()))
        .hasMessageStartingWith("--cert: " + expired.cert() + ": the certificate (CN=old) expired on ").hasMessageEndingWith(": renew it");
    assertThatThrownBy(() -> load(early.cert(), early.key()))
        .hasMessageStartingWith("--cert: " + early.cert() + ": the certificate (CN=new) is not valid before ");
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheCommandThatDecryptsIt() throws Exception {
    TestPki.KeyPair plain = pki.client("enc");
    Path encrypted = dir.resolve("encrypted.key");
    Process p = new ProcessBuilder("openssl", "pkcs8", "-topk8", "-in", plain.key().toString(), "-out", encrypted.toString(),
        "-passout", "pass:secret").redirectErrorStream(true).start();
    assertThat(p.waitFor()).isZero();
    assertThatThrownBy(() -> PemFiles.privateKey(encrypted, "--key"))
        .hasMessageContaining("--key: " + encrypted + ": the key is encrypted").hasMessageContaining("openssl pkcs8 -topk8 -nocrypt -in " + encrypted);
  }

  @Test
  void filesThatAreNotPemOrMissingAreOneLineNamingTheSetting() throws Exception {
    Path der = dir.resolve("cert.der");
    Files.write(der, new byte[] {0x30, (byte) 0x82, (byte) 0xff, 0x01, (byte) 0x80});
    assertThatThrownBy(() -> PemFiles.certificates(der, "ETCDCTL_CACERT")).hasMessageStartingWith("ETCDCTL_CACERT: " + der + ": ");
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> PemFiles.certificates(empty, "--cacert"))
        .hasMessage("--cacert: " + empty + ": no \"BEGIN CERTIFICATE\" block: expected a PEM certificate");
    assertThatThrownBy(() -> PemFiles.privateKey(pki.caCert(), "--key"))
        .hasMessageStartingWith("--key: " + pki.caCert() + ": no private key block");
    assertThatThrownBy(() -> PemFiles.certificates(dir.resolve("nope.pem"), "--cert"))
        .hasMessage("--cert: " + dir.resolve("nope.pem") + ": no such file");
  }

  @Test
  void aCertificateWithoutItsKeyIsRefused() {
    TestPki.KeyPair a = pki.client("alone");
    assertThatThrownBy(() -> TlsMaterial.load(Setting.of(null, "--cacert", Map.of(), "X"), Setting.of(a.cert().toString(), "--cert",
        Map.of(), "ETCDCTL_CERT"), Setting.of(null, "--key", Map.of(), "ETCDCTL_KEY"), Instant.now()))
        .hasMessage("--cert is set but --key (or ETCDCTL_KEY) is not: a client certificate needs both its certificate and its private key");
  }

  private static TlsMaterial load(Path cert, Path key) {
    return TlsMaterial.load(Setting.of(pki.caCert().toString(), "--cacert", Map.of(), "ETCDCTL_CACERT"),
        Setting.of(cert.toString(), "--cert", Map.of(), "ETCDCTL_CERT"), Setting.of(key.toString(), "--key", Map.of(), "ETCDCTL_KEY"),
        Instant.now());
  }
}
