package io.monitorlab.agent;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.NodeNames;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;

/** The agent's options, shared by every agent command; {@link #resolve} applies the env fallbacks. */
final class AgentOptions {
  @Option(names = "--node", paramLabel = "NODE",
      description = "Node name [env NODE_NAME, default: the host name]: letters, digits, '.', '_', '-', at most 253 characters.")
  String node;

  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd endpoints [env ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT, default: "
          + EtcdEndpoints.LAB_DEFAULT + "].")
  String endpoints;

  @Option(names = "--ttl", paramLabel = "SECONDS",
      description = "Heartbeat lease TTL in whole seconds, 2-3600 [env HEARTBEAT_TTL, default: 5].")
  String ttl;

  @Option(names = "--heartbeat-mode", paramLabel = "MODE",
      description = "refresh: rewrite the value every TTL/2, as the lab does; lease: renew only the lease "
          + "and rewrite the value every 60 s, for large fleets [env HEARTBEAT_MODE, default: refresh].")
  String mode;

  /** Validates everything; the exception message is the one line to show. */
  AgentSettings resolve(Map<String, String> env) {
    String nodeName = node != null ? NodeNames.require(node, "--node")
        : env.containsKey("NODE_NAME") ? NodeNames.require(env.get("NODE_NAME"), "NODE_NAME")
        : NodeNames.require(hostName(env), "host name (set --node or NODE_NAME)");
    String ttlText = ttl != null ? ttl : env.get("HEARTBEAT_TTL");
    String ttlSource = ttl != null ? "--ttl" : "HEARTBEAT_TTL";
    Duration ttlValue = Duration.ofSeconds(5);
    if (ttlText != null) {
      try {
        ttlValue = Duration.ofSeconds(Long.parseLong(ttlText.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ttlSource + ": invalid value \"" + ttlText + "\": expected whole seconds from 2 to 3600");
      }
    }
    HeartbeatSettings.Mode modeValue = HeartbeatSettings.Mode.REFRESH;
    if (mode != null) {
      modeValue = HeartbeatSettings.Mode.parse(mode, "--heartbeat-mode");
    } else if (env.get("HEARTBEAT_MODE") != null) {
      modeValue = HeartbeatSettings.Mode.parse(env.get("HEARTBEAT_MODE"), "HEARTBEAT_MODE");
    }
    HeartbeatSettings hb;
    try {
      hb = new HeartbeatSettings(nodeName, ttlValue, modeValue);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("--ttl", ttlSource));
    }
    return new AgentSettings(EtcdEndpoints.resolve(endpoints, env), hb);
  }

  private static String hostName(Map<String, String> env) {
    String fromEnv = env.get("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    try {
      return Files.readString(Path.of("/etc/hostname")).trim();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException e2) {
        return "";
      }
    }
  }
}
