package io.monitorlab.common.test;

import io.grpc.netty.GrpcSslContexts;
import io.monitorlab.common.test.CertAuthority.KeyType;
import io.netty.handler.ssl.SslContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Test certificates made by the {@code openssl} binary in a directory of the caller's: a CA, server
 * and client certificates signed by it, the broken variants that TLS error paths need (expired,
 * not yet valid, wrong names, PKCS#1 and SEC1 keys) and an unrelated second CA. Keys are EC P-256
 * (fast, and accepted by etcd 3.4 and netty) in PKCS#8 unless a method says otherwise. Every call
 * makes new files; nothing outlives the directory. This class is thread-safe.
 */
public final class TestPki {
  /** A PEM certificate and its PEM private key. */
  public record KeyPair(Path cert, Path key) {}

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern SAN = Pattern.compile("(DNS|IP):[A-Za-z0-9.:*_-]+");
  private static final Duration SKEW = Duration.ofHours(1);
  private static final Duration LIFETIME = Duration.ofDays(1);
  private static final String SERVER_EXTENSIONS = """
      basicConstraints = critical,CA:FALSE
      keyUsage = critical,digitalSignature,keyEncipherment
      extendedKeyUsage = serverAuth,clientAuth
      """;
  private static final String CLIENT_EXTENSIONS = """
      basicConstraints = critical,CA:FALSE
      keyUsage = critical,digitalSignature,keyEncipherment
      extendedKeyUsage = clientAuth
      """;

  private final CertAuthority ca;
  private final Set<String> stems = new HashSet<>();
  private TestPki other;

  private TestPki(CertAuthority ca) {
    this.ca = ca;
  }

  /** Creates {@code dir} (if needed) with a new CA in it: {@code ca.crt}, {@code ca.key}. */
  public static TestPki create(Path dir) {
    return new TestPki(CertAuthority.create(dir, "monitorlab-test-ca"));
  }

  public Path dir() {
    return ca.dir();
  }

  /** The CA certificate, for {@code --trusted-ca-file}, {@code --cacert} and trust managers. */
  public Path caCert() {
    return ca.pair().cert();
  }

  public KeyPair ca() {
    return ca.pair();
  }

  /** A second CA, unrelated to this one, in {@code dir()/other-ca}: what it signs this CA's peers refuse. */
  public synchronized TestPki otherCa() {
    if (other == null) {
      other = new TestPki(CertAuthority.create(dir().resolve("other-ca"), "unrelated-test-ca"));
    }
    return other;
  }

  /** A server (and peer) certificate for 127.0.0.1 and localhost, usable as a client certificate too. */
  public KeyPair server(String name) {
    return serverWithNames(name, "IP:127.0.0.1", "DNS:localhost");
  }

  /** A server certificate for exactly the names given, such as {@code "DNS:example.invalid"}; none gives no SAN at all. */
  public KeyPair serverWithNames(String name, String... sans) {
    return issue("server", name, KeyType.EC_PKCS8, serverExtensions(sans), Instant.now().minus(SKEW), Instant.now().plus(LIFETIME));
  }

  /** A server certificate for 127.0.0.1 and localhost whose validity ended yesterday. */
  public KeyPair expiredServer(String name) {
    Instant now = Instant.now();
    return issue("expired-server", name, KeyType.EC_PKCS8, serverExtensions("IP:127.0.0.1", "DNS:localhost"),
        now.minus(LIFETIME.multipliedBy(2)), now.minus(LIFETIME));
  }

  /** A client certificate with {@code CN=cn}; etcd with {@code --client-cert-auth} takes the CN as the user name. */
  public KeyPair client(String cn) {
    return issue("client", cn, KeyType.EC_PKCS8, CLIENT_EXTENSIONS, Instant.now().minus(SKEW), Instant.now().plus(LIFETIME));
  }

  /** Like {@link #client}, with an RSA 2048 key in PKCS#1 ({@code BEGIN RSA PRIVATE KEY}), which netty cannot read. */
  public KeyPair clientRsaPkcs1(String cn) {
    return issue("client-rsa", cn, KeyType.RSA_PKCS1, CLIENT_EXTENSIONS, Instant.now().minus(SKEW), Instant.now().plus(LIFETIME));
  }

  /** Like {@link #client}, with the EC key in SEC1 ({@code BEGIN EC PRIVATE KEY}), which netty cannot read. */
  public KeyPair clientEcSec1(String cn) {
    return issue("client-sec1", cn, KeyType.EC_SEC1, CLIENT_EXTENSIONS, Instant.now().minus(SKEW), Instant.now().plus(LIFETIME));
  }

  /** A client certificate whose validity ended yesterday. */
  public KeyPair expiredClient(String cn) {
    Instant now = Instant.now();
    return issue("expired-client", cn, KeyType.EC_PKCS8, CLIENT_EXTENSIONS, now.minus(LIFETIME.multipliedBy(2)), now.minus(LIFETIME));
  }

  /** A client certificate whose validity starts tomorrow. */
  public KeyPair notYetValidClient(String cn) {
    Instant now = Instant.now();
    return issue("future-client", cn, KeyType.EC_PKCS8, CLIENT_EXTENSIONS, now.plus(LIFETIME), now.plus(LIFETIME.multipliedBy(2)));
  }

  /** A gRPC client TLS context that trusts this CA and presents {@code client}, as jetcd's {@code sslContext} takes it. */
  public SslContext sslContext(KeyPair client) {
    String what = "cert=" + client.cert() + " key=" + client.key();
    try {
      return GrpcSslContexts.forClient().trustManager(caCert().toFile()).keyManager(client.cert().toFile(), client.key().toFile()).build();
    } catch (SSLException | IllegalArgumentException e) {
      // netty reads PKCS#8 keys only: "File does not contain valid private key" for PKCS#1 and SEC1 ones
      throw new IllegalArgumentException("cannot build a TLS client context from " + what + ": " + e.getMessage(), e);
    }
  }

  /** A gRPC client TLS context that trusts this CA and presents no certificate. */
  public SslContext sslContextWithoutCertificate() {
    try {
      return GrpcSslContexts.forClient().trustManager(caCert().toFile()).build();
    } catch (SSLException e) {
      throw new IllegalArgumentException("cannot build a TLS client context trusting " + caCert() + ": " + e.getMessage(), e);
    }
  }

  private static String serverExtensions(String... sans) {
    for (String san : sans) {
      if (!SAN.matcher(san).matches()) {
        throw new IllegalArgumentException("subject alternative name must look like DNS:name or IP:address, got '" + san + "'");
      }
    }
    return sans.length == 0 ? SERVER_EXTENSIONS : SERVER_EXTENSIONS + "subjectAltName = " + String.join(",", Arrays.asList(sans)) + "\n";
  }

  private synchronized KeyPair issue(String kind, String name, KeyType type, String extensions, Instant notBefore, Instant notAfter) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("certificate name must match " + NAME.pattern() + ", got '" + name + "'");
    }
    String stem = kind + "-" + name;
    for (int n = 2; !stems.add(stem); n++) {
      stem = kind + "-" + name + "-" + n;
    }
    return ca.issue(stem, name, type, extensions, notBefore, notAfter);
  }
}
