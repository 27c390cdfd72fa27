package io.monitorlab.common.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM certificates and private keys as people have them: PKCS#8 ({@code BEGIN PRIVATE KEY}, what
 * netty alone reads) and also PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}) and SEC1 EC ({@code BEGIN EC
 * PRIVATE KEY}), the defaults of cfssl, cert-manager and {@code openssl genrsa -traditional}. Those two
 * are rewrapped as PKCS#8 in memory, so no BouncyCastle (megabytes, on every node) is needed. Encrypted
 * keys are refused with the command that decrypts them. Every failure is an
 * {@link IllegalArgumentException} whose message is one line naming the setting and the file.
 * Stateless and thread-safe.
 */
public final class PemFiles {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----\\s*(?:Proc-Type:[^\\n]*\\n)?(?:DEK-Info:[^\\n]*\\n)?([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
  private static final byte[] RSA_ENCRYPTION = Der.oid("1.2.840.113549.1.1.1");
  private static final byte[] EC_PUBLIC_KEY = Der.oid("1.2.840.10045.2.1");

  private PemFiles() {}

  /** Every certificate in a PEM file (a CA bundle, or a certificate followed by its chain). */
  public static List<X509Certificate> certificates(Path file, String setting) {
    String text = read(file, setting);
    List<X509Certificate> out = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Matcher m = BLOCK.matcher(text);
      while (m.find()) {
        if (m.group(1).equals("CERTIFICATE")) {
          out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(body(m, file, setting))));
        }
      }
    } catch (CertificateException e) {
      throw bad(setting, file, "not a valid PEM certificate (" + e.getMessage() + ")");
    }
    if (out.isEmpty()) {
      throw bad(setting, file, "no \"BEGIN CERTIFICATE\" block: expected a PEM certificate");
    }
    return out;
  }

  /** The private key of a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
  public static PrivateKey privateKey(Path file, String setting) {
    String text = read(file, setting);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      if (type.equals("ENCRYPTED PRIVATE KEY") || type.endsWith("PRIVATE KEY") && m.group().contains("ENCRYPTED")) {
        throw bad(setting, file, "the key is encrypted with a passphrase, which is not supported: decrypt it with "
            + "`openssl pkcs8 -topk8 -nocrypt -in " + file + " -out KEY.pem` and keep KEY.pem readable only by the service");
      }
      byte[] der = body(m, file, setting);
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(der, file, setting);
        case "RSA PRIVATE KEY":
          return pkcs8(Der.sequence(Der.integer(0), Der.sequence(RSA_ENCRYPTION, Der.NULL), Der.octetString(der)), file, setting);
        case "EC PRIVATE KEY":
          return pkcs8(Der.sequence(Der.integer(0), Der.sequence(EC_PUBLIC_KEY, curveOf(der, file, setting)),
              Der.octetString(der)), file, setting);
        default:
          // e.g. "EC PARAMETERS" before the key, as `openssl ecparam -genkey` writes it
      }
    }
    throw bad(setting, file, "no private key block: expected \"BEGIN PRIVATE KEY\" (PKCS#8), \"BEGIN RSA PRIVATE KEY\" "
        + "or \"BEGIN EC PRIVATE KEY\"");
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String setting) {
    for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw bad(setting, file, "not a private key this JVM can read (RSA, EC or Ed25519 expected)");
  }

  /** The named curve of a SEC1 ECPrivateKey: SEQUENCE { version, privateKey, [0] parameters, [1] publicKey }. */
  private static byte[] curveOf(byte[] sec1, Path file, String setting) {
    try {
      Der.Reader key = Der.reader(sec1).enter(0x30);
      key.skip(0x02);
      key.skip(0x04);
      while (key.hasMore()) {
        if (key.peekTag() == 0xA0) {
          return key.enter(0xA0).element(0x06);
        }
        key.skipAny();
      }
    } catch (IllegalStateException e) {
      throw bad(setting, file, "not a valid EC private key (" + e.getMessage() + ")");
    }
    throw bad(setting, file, "the EC key names no curve: rewrite it with `openssl pkcs8 -topk8 -nocrypt -in " + file
        + " -out KEY.pem`");
  }

  private static byte[] body(Matcher m, Path file, String setting) {
    try {
      return Base64.getMimeDecoder().decode(m.group(2));
    } catch (IllegalArgumentException e) {
      throw bad(setting, file, "bad base64 in the \"" + m.group(1) + "\" block");
    }
  }

  private static String read(Path file, String setting) {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII).replace("\r", "");
    } catch (java.nio.file.NoSuchFileException e) {
      throw bad(setting, file, "no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw bad(setting, file, "permission denied (the process runs as " + System.getProperty("user.name") + ")");
    } catch (java.nio.charset.MalformedInputException e) {
      throw bad(setting, file, "not a PEM file (binary content; a DER file converts with `openssl x509 -inform der`)");
    } catch (IOException e) {
      throw bad(setting, file, "cannot read it (" + e.getMessage() + ")");
    }
  }

  static IllegalArgumentException bad(String setting, Path file, String why) {
    return new IllegalArgumentException(setting + ": " + file + ": " + why);
  }
}
