package io.monitorlab.common.cli;

import io.monitorlab.common.EtcdSecurity;
import java.util.Map;
import picocli.CommandLine.Option;

/** The TLS and authentication options of every command (a picocli mixin), with etcdctl's variables as fallbacks. */
public final class SecurityOptions {
  @Option(names = "--cacert", paramLabel = "FILE",
      description = "PEM file of the CA(s) that sign etcd's server certificates; turns TLS on [env ETCDCTL_CACERT].")
  String cacert;

  @Option(names = "--cert", paramLabel = "FILE",
      description = "PEM client certificate for etcd's --client-cert-auth; its CN is the etcd user [env ETCDCTL_CERT].")
  String cert;

  @Option(names = "--key", paramLabel = "FILE",
      description = "Private key of --cert: PEM, PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted [env ETCDCTL_KEY].")
  String key;

  @Option(names = "--user", paramLabel = "NAME",
      description = "etcd user name, with --password-file; not needed with a client certificate [env ETCDCTL_USER].")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "File whose first line is the etcd user's password [env " + EtcdSecurity.PASSWORD_FILE_VARIABLE + "].")
  String passwordFile;

  /** Whether any of the options was given on the command line. */
  public boolean anyGiven() {
    return cacert != null || cert != null || key != null || user != null || passwordFile != null;
  }

  /** Reads and checks the files; the exception message is the one line to show (exit 2). */
  public EtcdSecurity resolve(Map<String, String> env) {
    return EtcdSecurity.resolve(cacert, cert, key, user, passwordFile, env);
  }
}
