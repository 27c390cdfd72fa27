package io.monitorlab.common.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.monitorlab.common.test.TestPki;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/** A whole TLS handshake between two engines in memory: a client of ours and a server that requires a certificate. */
final class InMemoryHandshake {
  private InMemoryHandshake() {}

  /** Runs {@code material}'s client context against a server of {@code pki}; returns the certificate the server got. */
  static X509Certificate clientCertificateSeenByServer(TlsMaterial material, TestPki pki) throws SSLException {
    SSLEngine client = material.sslContext().newEngine(UnpooledByteBufAllocator.DEFAULT, "localhost", 2379);
    SSLEngine server = serverRequiringACertificate(pki);
    handshake(client, server);
    try {
      return (X509Certificate) server.getSession().getPeerCertificates()[0];
    } catch (SSLPeerUnverifiedException e) {
      throw new AssertionError("the server got no client certificate", e);
    }
  }

  private static SSLEngine serverRequiringACertificate(TestPki pki) throws SSLException {
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
