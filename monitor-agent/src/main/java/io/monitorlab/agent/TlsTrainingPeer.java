package io.monitorlab.agent;

import io.monitorlab.common.tls.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The other end of the agent's TLS training run in {@code cds-archive.sh}: a loopback TLS server that asks for
 * a client certificate and offers HTTP/2 by ALPN, as etcd does, so that the class-data archive of agents that
 * talk TLS holds the classes of a whole client handshake. It ends each connection after the handshake (it
 * speaks no gRPC) and runs until it is killed. Its keys are throwaway ones that {@code keytool} made for this
 * one run in {@code DIR}, which the script deletes afterwards; nothing trusts them.
 *
 * <pre>java -cp monitor-agent.jar io.monitorlab.agent.TlsTrainingPeer DIR</pre>
 * DIR holds {@code server.p12} and {@code client.p12} (store and key password {@value #PASSWORD}) and the PEM
 * certificates {@code ca.crt}, {@code server.crt}, {@code client.crt} signed by the CA. It writes
 * {@code client.key} (the client's key as PKCS#8 PEM, for the agent's {@code --key}) and then {@code port}.
 */
public final class TlsTrainingPeer {
  static final String PASSWORD = "training";

  private TlsTrainingPeer() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("TlsTrainingPeer: expected one argument, the directory of the training keys; got " + args.length);
      System.exit(2);
    }
    try {
      serve(Path.of(args[0]));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      System.err.println("TlsTrainingPeer: " + e);
      System.exit(1);
    }
  }

  private static void serve(Path dir) throws IOException, GeneralSecurityException {
    PrivateKey clientKey = key(dir.resolve("client.p12"), "client");
    writeAtomically(dir.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(clientKey.getEncoded())
        + "\n-----END PRIVATE KEY-----\n");
    List<X509Certificate> ca = PemFiles.certificates(dir.resolve("ca.crt"), "ca.crt");
    List<X509Certificate> chain = new ArrayList<>(PemFiles.certificates(dir.resolve("server.crt"), "server.crt"));
    chain.addAll(ca);
    SSLContext context = context(key(dir.resolve("server.p12"), "server"), chain, ca.get(0));
    try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
      SSLParameters parameters = server.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      parameters.setNeedClientAuth(true);
      server.setSSLParameters(parameters);
      writeAtomically(dir.resolve("port"), server.getLocalPort() + "\n");
      while (true) {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
          handshake(socket);
        }
      }
    }
  }

  /** Completes the handshake and reads what the client sends first (its HTTP/2 preface), then lets it go. */
  private static void handshake(Socket socket) {
    try {
      socket.setSoTimeout(1_000);
      ((SSLSocket) socket).startHandshake();
      InputStream in = socket.getInputStream();
      in.read(new byte[256]);
    } catch (IOException e) {
      // The client gave up or timed out: the next one may do better.
    }
  }

  private static PrivateKey key(Path p12, String alias) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, PASSWORD.toCharArray());
    }
    return (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
  }

  private static SSLContext context(PrivateKey key, List<X509Certificate> chain, X509Certificate ca) throws IOException,
      GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("server", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD.toCharArray());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", ca);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return context;
  }

  private static void writeAtomically(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
