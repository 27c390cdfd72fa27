package io.monitorlab.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/** Describes the run for the JSON header and the table: command, machine, java, etcd. */
final class MachineInfo {
  private MachineInfo() {}

  static ObjectNode header(List<String> args, BenchContextInfo info) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("tool", "monitor-bench");
    root.put("version", BenchCommand.version());
    root.put("command", "monitor-bench " + String.join(" ", args));
    root.put("started", Instant.now().toString());
    ObjectNode m = root.putObject("machine");
    m.put("cpus", Runtime.getRuntime().availableProcessors());
    m.put("cpu_model", firstValue(Path.of("/proc/cpuinfo"), "model name"));
    m.put("memory_total", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
    m.put("load_average_at_start", read(Path.of("/proc/loadavg")));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("clock_ticks_per_second", ProcStats.clockTicksPerSecond());
    root.put("etcd_endpoints", info.endpoints());
    root.put("etcd_version", info.etcdVersion());
    root.put("log_dir", info.logDir());
    return root;
  }

  /** What the header says about the bench's own setup. */
  record BenchContextInfo(String endpoints, String etcdVersion, String logDir) {}

  private static String firstValue(Path file, String key) {
    for (String line : read(file).split("\n")) {
      if (line.startsWith(key)) {
        int colon = line.indexOf(':');
        return colon < 0 ? "" : line.substring(colon + 1).trim();
      }
    }
    return "";
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return "";
    }
  }
}
