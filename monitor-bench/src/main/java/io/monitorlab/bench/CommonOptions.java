package io.monitorlab.bench;

import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/** The options every bench command takes; {@link #open} validates them and opens the context. */
final class CommonOptions {
  @Option(names = "--endpoints", paramLabel = "HOST:PORT[,...]",
      description = "etcd endpoints [env ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT]; required "
          + "(scripts/bench.sh starts a local etcd when none is given).")
  String endpoints;

  @Option(names = "--agent-jar", paramLabel = "JAR",
      description = "The agent jar to run [default: monitor-agent/target/monitor-agent.jar of this repo].")
  Path agentJar;

  @Option(names = "--server-jar", paramLabel = "JAR",
      description = "The monitor jar to run [default: monitor-server/target/monitor-server.jar of this repo].")
  Path serverJar;

  @Option(names = "--runs", paramLabel = "N",
      description = "Repetitions; figures pool the values of all runs [default: 3, fleet: 1].")
  Integer runs;

  @Option(names = "--json", paramLabel = "FILE", defaultValue = "bench-results.json",
      description = "Where to write the results as JSON [default: ${DEFAULT-VALUE}].")
  Path json;

  @Option(names = "--log-dir", paramLabel = "DIR",
      description = "Where the output of every started process goes [default: a new temporary folder].")
  Path logDir;

  /** The number of runs, or {@code fallback} when --runs was not given; validated. */
  int runs(int fallback) {
    int n = runs == null ? fallback : runs;
    Check.range("--runs", n, 1, 100);
    return n;
  }

  /** Validates the options (IllegalArgumentException with a one-line message) and connects. */
  BenchContext open(Map<String, String> env, List<String> args) throws IOException, InterruptedException {
    return open(endpoints(env), args);
  }

  /** Like {@link #open(Map, List)}, against {@code resolved}: an etcd the command started itself. */
  BenchContext open(EtcdEndpoints resolved, List<String> args) throws IOException, InterruptedException {
    Path repo = repoRoot();
    Path agent = jar(agentJar, repo.resolve("monitor-agent/target/monitor-agent.jar"), "--agent-jar");
    Path server = jar(serverJar, repo.resolve("monitor-server/target/monitor-server.jar"), "--server-jar");
    Path logs = logDir != null ? Files.createDirectories(logDir) : Files.createTempDirectory("monitor-bench-");
    String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()).toLowerCase();
    return BenchContext.open(resolved, new Jvm(Jvm.currentJava(), agent, server, resolved), logs, json, tag, args);
  }

  EtcdEndpoints endpoints(Map<String, String> env) {
    boolean fromEnv = !env.getOrDefault("ETCD_ENDPOINTS", "").isBlank() || !env.getOrDefault("ETCD_HOST", "").isBlank();
    if (endpoints == null && !fromEnv) {
      throw new IllegalArgumentException("--endpoints: no etcd given: pass --endpoints 127.0.0.1:2379 or set ETCD_ENDPOINTS "
          + "(scripts/bench.sh starts a local etcd when neither is set)");
    }
    return EtcdEndpoints.resolve(endpoints, env);
  }

  private static Path jar(Path given, Path fallback, String option) {
    Path p = given != null ? given : fallback;
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException(option + ": no such file " + p + ": build the jars with mvn -B -DskipTests package"
          + (given == null ? " or pass " + option : ""));
    }
    return p.toAbsolutePath();
  }

  /** The repository holding this jar ({@code <repo>/monitor-bench/target/monitor-bench.jar}), else the current folder. */
  static Path repoRoot() {
    try {
      Path self = Path.of(CommonOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path repo = self.getParent() == null ? null : self.getParent().getParent();
      repo = repo == null ? null : repo.getParent();
      if (repo != null && Files.isDirectory(repo.resolve("monitor-agent"))) {
        return repo;
      }
    } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
      // fall back to the current folder
    }
    return Path.of("").toAbsolutePath();
  }
}
