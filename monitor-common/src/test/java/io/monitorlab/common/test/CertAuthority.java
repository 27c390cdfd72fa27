package io.monitorlab.common.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One self-signed test CA in its own directory, issuing leaf certificates through {@code openssl ca}
 * (the only OpenSSL 3.0 command that takes explicit start and end dates, which expired and
 * not-yet-valid certificates need). Not thread-safe: {@code openssl ca} keeps a database file, so
 * {@link TestPki} serialises the calls.
 */
final class CertAuthority {
  /** The key formats a test may need: netty reads only PKCS#8; cfssl and cert-manager write the others. */
  enum KeyType { EC_PKCS8, EC_SEC1, RSA_PKCS1 }

  private static final DateTimeFormatter OPENSSL_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final String REQ_CONFIG = """
      [ req ]
      distinguished_name = dn
      prompt = no
      [ dn ]
      CN = unused
      [ ca_ext ]
      basicConstraints = critical,CA:TRUE
      keyUsage = critical,keyCertSign,cRLSign
      subjectKeyIdentifier = hash
      """;
  // unique_subject = no: a test may ask twice for a certificate with the same CN (valid, then expired).
  private static final String CA_CONFIG = """
      [ ca ]
      default_ca = test_ca
      [ test_ca ]
      database = index.txt
      new_certs_dir = issued
      serial = serial
      certificate = ca.crt
      private_key = ca.key
      default_md = sha256
      policy = policy_any
      unique_subject = no
      copy_extensions = none
      [ policy_any ]
      commonName = supplied
      """;

  private final Path dir;
  private final Openssl openssl;

  private CertAuthority(Path dir) {
    this.dir = dir;
    this.openssl = new Openssl(dir);
  }

  /** Creates the directory, the CA's key (EC P-256) and its certificate, valid for 30 days from now. */
  static CertAuthority create(Path dir, String commonName) {
    CertAuthority ca = new CertAuthority(dir);
    try {
      Files.createDirectories(dir.resolve("issued"));
      Files.writeString(dir.resolve("req.cnf"), REQ_CONFIG);
      Files.writeString(dir.resolve("ca.cnf"), CA_CONFIG);
      Files.writeString(dir.resolve("index.txt"), "");
      Files.writeString(dir.resolve("serial"), "1000\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the test CA directory " + dir + ": " + e.getMessage(), e);
    }
    ca.openssl.run("req", "-x509", "-config", "req.cnf", "-extensions", "ca_ext", "-newkey", "ec",
        "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "30",
        "-subj", "/CN=" + commonName);
    return ca;
  }

  Path dir() {
    return dir;
  }

  TestPki.KeyPair pair() {
    return new TestPki.KeyPair(dir.resolve("ca.crt"), dir.resolve("ca.key"));
  }

  /**
   * Makes {@code stem.key} and {@code stem.crt}: a new key of the given type and a certificate for
   * {@code CN=commonName} with the X.509v3 extension lines given, valid from {@code notBefore} to
   * {@code notAfter}.
   */
  TestPki.KeyPair issue(String stem, String commonName, KeyType type, String extensions, Instant notBefore, Instant notAfter) {
    String key = stem + ".key";
    String ext = stem + ".ext";
    generateKey(type, key);
    try {
      Files.writeString(dir.resolve(ext), "[ leaf ]\n" + extensions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(ext) + ": " + e.getMessage(), e);
    }
    openssl.run("req", "-new", "-config", "req.cnf", "-key", key, "-subj", "/CN=" + commonName, "-out", stem + ".csr");
    openssl.run("ca", "-batch", "-notext", "-config", "ca.cnf", "-in", stem + ".csr", "-out", stem + ".crt",
        "-extfile", ext, "-extensions", "leaf",
        "-startdate", OPENSSL_TIME.format(notBefore), "-enddate", OPENSSL_TIME.format(notAfter));
    return new TestPki.KeyPair(dir.resolve(stem + ".crt"), dir.resolve(key));
  }

  private void generateKey(KeyType type, String key) {
    switch (type) {
      case EC_PKCS8 -> openssl.run("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key);
      case EC_SEC1 -> openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key);
      case RSA_PKCS1 -> openssl.run("genrsa", "-traditional", "-out", key, "2048");
    }
  }
}
