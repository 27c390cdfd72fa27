package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.cli.SecurityOptions;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The connection options shared by every server command: where etcd is, TLS and credentials. */
final class ConnectOptions {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd endpoints, https:// for TLS [env ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT, default: "
          + EtcdEndpoints.LAB_DEFAULT + "].")
  String endpoints;

  @Mixin SecurityOptions security;

  EtcdEndpoints resolve(Map<String, String> env) {
    return EtcdEndpoints.resolve(endpoints, env).with(security.resolve(env));
  }

  /** For a subcommand: each of its options when given there, else the parent command's. */
  EtcdEndpoints resolve(Map<String, String> env, ConnectOptions parent) {
    String where = endpoints != null ? endpoints : parent.endpoints;
    SecurityOptions how = security.anyGiven() ? security : parent.security;
    return EtcdEndpoints.resolve(where, env).with(how.resolve(env));
  }
}
