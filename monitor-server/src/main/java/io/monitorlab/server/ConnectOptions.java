package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --endpoints} option shared by every server command. */
final class ConnectOptions {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd endpoints [env ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT, default: "
          + EtcdEndpoints.LAB_DEFAULT + "].")
  String endpoints;

  EtcdEndpoints resolve(Map<String, String> env) {
    return EtcdEndpoints.resolve(endpoints, env);
  }
}
