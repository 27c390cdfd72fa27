package io.monitorlab.bench;

import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the real processes, with the JVM flags of scripts/run_agent.sh and
 * scripts/run_server.sh, run by the same java as the bench. Immutable.
 *
 * @param endpoints the etcd they use: {@code --endpoints host:port,...}, or {@code https://host:port,...} with TLS
 * @param etcdOptions what they get after the endpoints to reach that etcd, e.g. {@code --cacert F --cert F --key F}
 */
record Jvm(Path java, Path agentJar, Path serverJar, EtcdEndpoints endpoints, List<String> etcdOptions) {
  /**
   * The agent's flags: those of scripts/run_agent.sh (scripts/bench.sh passes them, with the class-data
   * archive when it is current, in BENCH_AGENT_JVM_FLAGS, one flag per line), else the lean flags of
   * DEPENDENCIES.md.
   */
  static final List<String> AGENT_FLAGS = agentFlags(System.getenv("BENCH_AGENT_JVM_FLAGS"));
  /**
   * The flags of an agent that talks TLS: scripts/run_agent.sh gives it the class-data archive trained with TLS
   * (BENCH_AGENT_TLS_JVM_FLAGS, likewise), else the same flags as {@link #AGENT_FLAGS}.
   */
  static final List<String> AGENT_TLS_FLAGS = flags(System.getenv("BENCH_AGENT_TLS_JVM_FLAGS"), AGENT_FLAGS);
  /** The monitor's flags: those of scripts/run_server.sh (BENCH_SERVER_JVM_FLAGS, likewise), else its heap flags. */
  static final List<String> SERVER_FLAGS = serverFlags(System.getenv("BENCH_SERVER_JVM_FLAGS"));

  Jvm {
    etcdOptions = List.copyOf(etcdOptions);
  }

  Jvm(Path java, Path agentJar, Path serverJar, EtcdEndpoints endpoints) {
    this(java, agentJar, serverJar, endpoints, List.of());
  }

  /** The same jars against another etcd, reached with {@code etcdOptions}. */
  Jvm on(EtcdEndpoints other, List<String> options) {
    return new Jvm(java, agentJar, serverJar, other, options);
  }

  static List<String> agentFlags(String lines) {
    return flags(lines, List.of("-XX:+UseSerialGC", "-Xss256k", "-XX:TieredStopAtLevel=1", "-Xms16m", "-Xmx64m"));
  }

  static List<String> serverFlags(String lines) {
    return flags(lines, List.of("-XX:+UseSerialGC", "-Xms32m", "-Xmx256m"));
  }

  private static List<String> flags(String lines, List<String> otherwise) {
    if (lines == null || lines.isBlank()) {
      return otherwise;
    }
    return lines.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  /**
   * {@code flags} with each {@code @argfile} replaced by the options in it (one per line, {@code #} comments
   * skipped), for the record: the files may be gone or changed when the results are read.
   */
  static List<String> expanded(List<String> flags) {
    List<String> out = new ArrayList<>();
    for (String flag : flags) {
      if (!flag.startsWith("@")) {
        out.add(flag);
        continue;
      }
      try {
        Files.readAllLines(Path.of(flag.substring(1))).stream().map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#")).forEach(out::add);
      } catch (IOException e) {
        out.add(flag + " (unreadable: " + e.getMessage() + ")");
      }
    }
    return out;
  }

  /** The java binary running this bench. */
  static Path currentJava() {
    return ProcessHandle.current().info().command().map(Path::of)
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
  }

  List<String> agent(String node) {
    List<String> argv = new ArrayList<>();
    argv.add(java.toString());
    argv.addAll(endpoints.tls() ? AGENT_TLS_FLAGS : AGENT_FLAGS);
    argv.addAll(List.of("-jar", agentJar.toString(), "--node", node, "--endpoints", endpointsOption()));
    argv.addAll(etcdOptions);
    return argv;
  }

  List<String> server() {
    return server(List.of());
  }

  /** The monitor's command line with {@code extra} options after the endpoints. */
  List<String> server(List<String> extra) {
    List<String> argv = new ArrayList<>();
    argv.add(java.toString());
    argv.addAll(SERVER_FLAGS);
    argv.addAll(List.of("-jar", serverJar.toString(), "--endpoints", endpointsOption()));
    argv.addAll(etcdOptions);
    argv.addAll(extra);
    return argv;
  }

  /** {@code host:port,...} as before TLS (older jars take only that), {@code https://host:port,...} with TLS. */
  private String endpointsOption() {
    return endpoints.tls() ? endpoints.urls() : endpoints.joined();
  }
}
