package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.cli.Setting;
import io.monitorlab.common.test.TestPki;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our client certificate reaches a server that requires one, for each key format and type people have,
 * through the context {@link TlsMaterial#sslContext()} builds: a whole TLS handshake between two engines in memory.
 */
class ClientKeyManagerTest {
  @TempDir static Path dir;
  private static TestPki pki;

  @BeforeAll
  static void makePki() {
    pki = TestPki.create(dir.resolve("pki"));
  }

  @Test
  void theServerSeesOurCertificateForEcAndRsaKeys() throws Exception {
    for (TestPki.KeyPair pair : new TestPki.KeyPair[] {pki.client("ec-p8"), pki.clientRsaPkcs1("rsa"), pki.clientEcSec1("ec-sec1")}) {
      TlsMaterial m = TlsMaterial.load(Setting.of(pki.caCert().toString(), "--cacert", Map.of(), "X"),
          Setting.of(pair.cert().toString(), "--cert", Map.of(), "Y"), Setting.of(pair.key().toString(), "--key", Map.of(), "Z"),
          Instant.now());
      SSLEngine client = m.sslContext().newEngine(UnpooledByteBufAllocator.DEFAULT, "localhost", 2379);
      SSLEngine server = serverRequiringACertificate();

      handshake(client, server);

      X509Certificate seen = (X509Certificate) server.getSession().getPeerCertificates()[0];
      assertThat(seen.getSubjectX500Principal().getName()).isEqualTo(m.clientSubject());
    }
  }

  @Test
  void onlyKeyTypesOfItsOwnAlgorithmAreOffered() throws Exception {
    TestPki.KeyPair ec = pki.client("only-ec");
    TlsMaterial m = TlsMaterial.load(Setting.of(null, "--cacert", Map.of(), "X"),
        Setting.of(ec.cert().toString(), "--cert", Map.of(), "Y"), Setting.of(ec.key().toString(), "--key", Map.of(), "Z"),
        Instant.now());
    ClientKeyManager km = new ClientKeyManager(m.key(), m.chain());

    assertThat(km.chooseEngineClientAlias(new String[] {"RSA"}, null, null)).isNull();
    String alias = km.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null);
    assertThat(km.getPrivateKey(alias)).isSameAs(m.key());
    assertThat(km.getCertificateChain(alias)).containsExactlyElementsOf(m.chain());
    assertThat(km.getPrivateKey("another")).isNull();
    assertThat(km.chooseServerAlias("EC", null, null)).isNull();
  }

  private static SSLEngine serverRequiringACertificate() throws SSLException {
    TestPki.KeyPair server = pki.server("etcd");
    SSLEngine engine = SslContextBuilder.forServer(server.cert().toFile(), server.key().toFile())
        .trustManager(pki.caCert().toFile()).clientAuth(ClientAuth.REQUIRE).build()
        .newEngine(UnpooledByteBufAllocator.DEFAULT);
    engine.setUseClientMode(false);
    return engine;
  }

  /** Runs both ends until neither has anything left to do; throws what either end refuses. */
  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    int size = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
    ByteBuffer toServer = ByteBuffer.allocate(size * 4);
    ByteBuffer toClient = ByteBuffer.allocate(size * 4);
    ByteBuffer app = ByteBuffer.allocate(size * 4);
    ByteBuffer empty = ByteBuffer.allocate(0);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 100 && !(done(client) && done(server)); round++) {
      step(client, empty, toServer, toClient, app);
      step(server, empty, toClient, toServer, app);
    }
    assertThat(done(client) && done(server)).as("handshake finished").isTrue();
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus s = engine.getHandshakeStatus();
    return s == HandshakeStatus.NOT_HANDSHAKING || s == HandshakeStatus.FINISHED;
  }

  /** One turn of {@code engine}: writes what it has into {@code out}, reads what the other end wrote to {@code in}. */
  private static void step(SSLEngine engine, ByteBuffer empty, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws SSLException {
    engine.wrap(empty, out);
    runTasks(engine);
    in.flip();
    while (in.hasRemaining()) {
      int before = in.remaining();
      engine.unwrap(in, app);
      runTasks(engine);
      if (in.remaining() == before) {
        break;
      }
    }
    in.compact();
    app.clear();
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
