package io.monitorlab.agent;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.NodeNames;
import io.monitorlab.common.cli.SecurityOptions;
import io.monitorlab.common.cli.Setting;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The agent's options, shared by every agent command; {@link #resolve} applies the env fallbacks. */
final class AgentOptions {
  @Option(names = "--node", paramLabel = "NODE",
      description = "Node name [env NODE_NAME, default: the host name]: letters, digits, '.', '_', '-', at most 253 characters.")
  String node;

  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd endpoints, https:// for TLS [env ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT, default: "
          + EtcdEndpoints.LAB_DEFAULT + "].")
  String endpoints;

  @Option(names = "--ttl", paramLabel = "SECONDS",
      description = "Heartbeat lease TTL in whole seconds, 2-3600 [env HEARTBEAT_TTL, default: 5].")
  String ttl;

  @Option(names = "--heartbeat-mode", paramLabel = "MODE",
      description = "refresh: rewrite the value every TTL/2, as the lab does; lease: renew only the lease "
          + "and rewrite the value every 60 s, for large fleets [env HEARTBEAT_MODE, default: refresh].")
  String mode;

  @Option(names = "--proc-root", paramLabel = "DIR",
      description = "Where the node's proc filesystem is, e.g. the host's /proc mounted into a pod [env PROC_ROOT, default: /proc].")
  String procRoot;

  @Option(names = "--sys-root", paramLabel = "DIR",
      description = "Where the node's sysfs is, e.g. the host's /sys mounted into a pod [env SYS_ROOT, default: /sys].")
  String sysRoot;

  @Option(names = "--rootfs", paramLabel = "DIR",
      description = "Where the node's / is, for the disk metric of its mounts, e.g. the host's / mounted into a pod "
          + "[env HOST_ROOT, default: /].")
  String rootfs;

  @Mixin SecurityOptions security;

  /** Validates everything; the exception message is the one line to show. */
  AgentSettings resolve(Map<String, String> env) {
    Setting nodeSetting = Setting.of(node, "--node", env, "NODE_NAME");
    String nodeName = nodeSetting.isSet() ? NodeNames.require(nodeSetting.value(), nodeSetting.source())
        : NodeNames.require(hostName(env), "host name (set --node or NODE_NAME)");
    Setting ttlSetting = Setting.of(ttl, "--ttl", env, "HEARTBEAT_TTL");
    Duration ttlValue = Duration.ofSeconds(5);
    if (ttlSetting.isSet()) {
      try {
        ttlValue = Duration.ofSeconds(Long.parseLong(ttlSetting.value().trim()));
      } catch (NumberFormatException e) {
        throw ttlSetting.invalid("whole seconds from 2 to 3600");
      }
    }
    Setting modeSetting = Setting.of(mode, "--heartbeat-mode", env, "HEARTBEAT_MODE");
    HeartbeatSettings.Mode modeValue = modeSetting.isSet()
        ? HeartbeatSettings.Mode.parse(modeSetting.value(), modeSetting.source()) : HeartbeatSettings.Mode.REFRESH;
    HeartbeatSettings hb;
    try {
      hb = new HeartbeatSettings(nodeName, ttlValue, modeValue);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("--ttl", ttlSetting.source()));
    }
    return new AgentSettings(EtcdEndpoints.resolve(endpoints, env).with(security.resolve(env)), hb,
        new MetricRoots(directory(Setting.of(procRoot, "--proc-root", env, "PROC_ROOT"), "/proc"),
            directory(Setting.of(sysRoot, "--sys-root", env, "SYS_ROOT"), "/sys"),
            directory(Setting.of(rootfs, "--rootfs", env, "HOST_ROOT"), "/")));
  }

  private static Path directory(Setting s, String fallback) {
    Path dir = Path.of(s.orElse(fallback));
    if (!Files.isDirectory(dir)) {
      throw s.isSet() ? s.invalid("a directory") : new IllegalArgumentException(fallback + " is not a directory: set "
          + s.source());
    }
    return dir;
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
