package io.monitorlab.common.tls;

import io.grpc.netty.GrpcSslContexts;
import io.monitorlab.common.cli.Setting;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * What a TLS connection to etcd uses, read and checked once at start-up: the CAs that sign etcd's
 * certificates (or the JVM's own trust store when none is given) and, for client-certificate
 * authentication, our certificate chain and its private key. A file that cannot be read, a key that
 * does not belong to the certificate, or a certificate outside its validity period is refused here
 * with one line naming the setting and the file, before any connection is tried. Immutable.
 *
 * @param trust the CA certificates of {@code --cacert}; empty means the JVM's trust store
 * @param caFile the file they came from, or null
 * @param key our private key, or null without a client certificate
 * @param chain our certificate and its chain, empty without a client certificate
 * @param certFile the file of {@code --cert}, or null
 */
public record TlsMaterial(List<X509Certificate> trust, Path caFile, PrivateKey key, List<X509Certificate> chain, Path certFile) {
  public TlsMaterial {
    trust = List.copyOf(trust);
    chain = List.copyOf(chain);
  }

  /** Reads and checks the files of the three settings; either may be unset (cert and key only together). */
  public static TlsMaterial load(Setting cacert, Setting cert, Setting key, Instant now) {
    if (cert.isSet() != key.isSet()) {
      Setting given = cert.isSet() ? cert : key;
      String missing = cert.isSet() ? "--key (or ETCDCTL_KEY)" : "--cert (or ETCDCTL_CERT)";
      throw new IllegalArgumentException(given.source() + " is set but " + missing + " is not: a client certificate "
          + "needs both its certificate and its private key");
    }
    List<X509Certificate> trust = List.of();
    Path caFile = null;
    if (cacert.isSet()) {
      caFile = Path.of(cacert.value());
      trust = PemFiles.certificates(caFile, cacert.source());
      checkValidity(trust.get(0), caFile, cacert.source(), "CA certificate", now);
    }
    if (!cert.isSet()) {
      return new TlsMaterial(trust, caFile, null, List.of(), null);
    }
    Path certFile = Path.of(cert.value());
    Path keyFile = Path.of(key.value());
    List<X509Certificate> chain = PemFiles.certificates(certFile, cert.source());
    PrivateKey privateKey = PemFiles.privateKey(keyFile, key.source());
    checkValidity(chain.get(0), certFile, cert.source(), "certificate", now);
    if (!belongsTo(privateKey, chain.get(0).getPublicKey())) {
      throw new IllegalArgumentException(key.source() + ": " + keyFile + ": this key does not belong to the certificate "
          + certFile + " (" + subject(chain.get(0)) + "): give the key the certificate was made for");
    }
    return new TlsMaterial(trust, caFile, privateKey, chain, certFile);
  }

  /** Whether we present a client certificate. */
  public boolean hasClientCertificate() {
    return key != null;
  }

  /** The subject of our certificate, e.g. {@code CN=worker1}, or null without one. */
  public String clientSubject() {
    return chain.isEmpty() ? null : subject(chain.get(0));
  }

  /** A gRPC client context over these files: HTTP/2 with ALPN, host names checked by gRPC. */
  public SslContext sslContext() {
    try {
      SslContextBuilder b = GrpcSslContexts.forClient();
      if (!trust.isEmpty()) {
        b.trustManager(trust.toArray(X509Certificate[]::new));
      }
      if (key != null) {
        b.keyManager(new ClientKeyManager(key, chain));
      }
      return b.build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot set up TLS with " + (certFile != null ? certFile : caFile) + ": " + e.getMessage(), e);
    }
  }

  private static void checkValidity(X509Certificate c, Path file, String setting, String what, Instant now) {
    Date at = Date.from(now);
    if (at.after(c.getNotAfter())) {
      throw new IllegalArgumentException(setting + ": " + file + ": the " + what + " (" + subject(c) + ") expired on "
          + c.getNotAfter().toInstant() + ": renew it");
    }
    if (at.before(c.getNotBefore())) {
      throw new IllegalArgumentException(setting + ": " + file + ": the " + what + " (" + subject(c) + ") is not valid before "
          + c.getNotBefore().toInstant() + ": check this machine's clock, or wait");
    }
  }

  /** Signs a probe with the key and checks it with the certificate's public key. */
  private static boolean belongsTo(PrivateKey key, PublicKey pub) {
    if (!key.getAlgorithm().equals(pub.getAlgorithm())) {
      return false;
    }
    String algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
    try {
      byte[] probe = "etcd-monitor key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(pub);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Names the files, never the key: a private key's own toString prints its secret numbers. */
  @Override
  public String toString() {
    return "TlsMaterial[ca=" + (caFile == null ? "JVM trust store" : caFile) + ", cert=" + certFile + "]";
  }

  static String subject(X509Certificate c) {
    return c.getSubjectX500Principal().getName();
  }
}
