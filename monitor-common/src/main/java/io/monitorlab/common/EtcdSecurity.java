package io.monitorlab.common;

import io.monitorlab.common.cli.Setting;
import io.monitorlab.common.tls.TlsMaterial;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * How a process proves itself to etcd: TLS (with the CAs that sign etcd's certificates and, optionally,
 * a client certificate whose CN is the etcd user) and/or an etcd user with a password read from a file.
 * Settings come from the options, else etcdctl's environment ({@code ETCDCTL_CACERT}, {@code ETCDCTL_CERT},
 * {@code ETCDCTL_KEY}, {@code ETCDCTL_USER}) and {@code MONITOR_ETCD_PASSWORD_FILE}. The password is
 * never part of a message or of {@link #toString()}. Immutable.
 */
public final class EtcdSecurity {
  public static final EtcdSecurity NONE = new EtcdSecurity(null, null, null);

  public static final String CACERT_VARIABLE = "ETCDCTL_CACERT";
  public static final String CERT_VARIABLE = "ETCDCTL_CERT";
  public static final String KEY_VARIABLE = "ETCDCTL_KEY";
  public static final String USER_VARIABLE = "ETCDCTL_USER";
  public static final String PASSWORD_FILE_VARIABLE = "MONITOR_ETCD_PASSWORD_FILE";

  private final TlsMaterial tls;
  private final String user;
  private final String password;

  private EtcdSecurity(TlsMaterial tls, String user, String password) {
    this.tls = tls;
    this.user = user;
    this.password = password;
  }

  /**
   * Resolves the five settings (option values may be null) against {@code env}, reads the files and
   * checks them. The exception message is the one line to show (exit 2).
   */
  public static EtcdSecurity resolve(String cacert, String cert, String key, String user, String passwordFile,
      Map<String, String> env) {
    Setting ca = Setting.of(cacert, "--cacert", env, CACERT_VARIABLE);
    Setting crt = Setting.of(cert, "--cert", env, CERT_VARIABLE);
    Setting k = Setting.of(key, "--key", env, KEY_VARIABLE);
    Setting u = Setting.of(user, "--user", env, USER_VARIABLE);
    Setting pw = Setting.of(passwordFile, "--password-file", env, PASSWORD_FILE_VARIABLE);
    TlsMaterial tls = ca.isSet() || crt.isSet() || k.isSet() ? TlsMaterial.load(ca, crt, k, Instant.now()) : null;
    String name = null;
    String secret = null;
    if (u.isSet()) {
      name = u.value();
      int colon = name.indexOf(':');
      if (colon >= 0) {
        if (u.source().startsWith("--")) {
          // A password on the command line shows in `ps` and in shell history.
          throw new IllegalArgumentException("--user: give the user name only and the password in a file "
              + "(--password-file or " + PASSWORD_FILE_VARIABLE + "), never on the command line");
        }
        // etcdctl's own ETCDCTL_USER=name:password form, from the environment.
        secret = name.substring(colon + 1);
        name = name.substring(0, colon);
      }
      if (name.isBlank()) {
        throw new IllegalArgumentException(u.source() + ": empty user name");
      }
    }
    if (pw.isSet()) {
      if (name == null) {
        throw new IllegalArgumentException(pw.source() + " is set but --user (or " + USER_VARIABLE + ") is not: "
            + "a password needs its user name");
      }
      secret = readPassword(pw);
    }
    if (name != null && secret == null) {
      throw new IllegalArgumentException(u.source() + " is set without a password: give --password-file or "
          + PASSWORD_FILE_VARIABLE + " (with a client certificate, leave the user out: its CN is the user)");
    }
    return new EtcdSecurity(tls, name, secret);
  }

  private static String readPassword(Setting pw) {
    Path file = Path.of(pw.value());
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      String first = lines.isEmpty() ? "" : lines.get(0);
      if (first.isEmpty()) {
        throw new IllegalArgumentException(pw.source() + ": " + file + ": the first line is empty: expected the password");
      }
      return first;
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(pw.source() + ": " + file + ": no such file");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new IllegalArgumentException(pw.source() + ": " + file + ": permission denied (the process runs as "
          + System.getProperty("user.name") + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(pw.source() + ": " + file + ": cannot read it (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Whether connections use TLS (a TLS option was given; {@link EtcdEndpoints} also turns it on for https://). */
  public boolean tls() {
    return tls != null;
  }

  /** The TLS files, or null for plaintext. */
  public TlsMaterial tlsMaterial() {
    return tls;
  }

  /** TLS with the JVM's trust store and no client certificate, for https:// endpoints given alone. */
  EtcdSecurity withDefaultTls() {
    return tls != null ? this : new EtcdSecurity(new TlsMaterial(List.of(), null, null, List.of(), null), user, password);
  }

  /** The etcd user, or null (none, or the CN of the client certificate). */
  public String user() {
    return user;
  }

  /** The password of {@link #user()}; never print it. */
  public String password() {
    return password;
  }

  /** Who we are to etcd, for messages: {@code user worker1}, {@code certificate CN=worker1}, {@code anonymous}. */
  public String identity() {
    if (user != null) {
      return "user " + user;
    }
    if (tls != null && tls.hasClientCertificate()) {
      return "certificate " + tls.clientSubject();
    }
    return "no credentials";
  }

  @Override
  public String toString() {
    return "EtcdSecurity[tls=" + tls + ", user=" + user + (password != null ? ", password=(hidden)" : "") + "]";
  }
}
