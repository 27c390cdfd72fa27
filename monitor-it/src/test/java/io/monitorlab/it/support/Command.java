package io.monitorlab.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line to start as a real process: the argv and the environment it gets on top of a
 * hermetic copy of ours (settings that would change what the processes do are removed). Immutable.
 */
public record Command(List<String> argv, Map<String, String> env) {
  /** Lean JVM flags: the tests start many JVMs on a small machine. */
  private static final List<String> LEAN_JVM = List.of(
      "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss256k", "-Xms16m", "-Xmx64m");
  /** Variables of the test's own environment that the processes must not inherit. */
  private static final List<String> SCRUBBED_PREFIXES = List.of(
      "ETCD_", "ETCDCTL_", "NODE_NAME", "HEARTBEAT_TTL", "STATUS_EVERY", "MONITOR_LOG_LEVEL", "MONITOR_HTTP",
      "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS", "PYTHON", "LANG", "LC_");
  /** One locale for every process, as the agent's container image has: output does not depend on the machine. */
  private static final String LOCALE = "C.UTF-8";

  public Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** {@code java -jar monitor-agent.jar ARGS}. */
  public static Command agent(String... args) {
    return java(jar("monitor-agent"), args);
  }

  /**
   * {@code java -jar monitor-server.jar ARGS}, its HTTP on a free loopback port (the default 9780 would
   * collide between the monitors of concurrent tests; {@code --http} in ARGS wins).
   */
  public static Command server(String... args) {
    return java(jar("monitor-server"), args).withEnv("MONITOR_HTTP", "127.0.0.1:0");
  }

  /** {@link #server} with more JVM flags after the lean ones (a later {@code -Xmx} wins), e.g. for 10,000 nodes. */
  public static Command server(List<String> jvmFlags, String... args) {
    Command c = server(args);
    List<String> argv = new ArrayList<>(c.argv());
    argv.addAll(argv.indexOf("-jar"), jvmFlags);
    return new Command(argv, c.env());
  }

  /** {@code <repo>/scripts/NAME ARGS}: one of the wrappers a person runs (they exec java with the argument file). */
  public static Command script(String name, String... args) {
    List<String> argv = new ArrayList<>(List.of(repo().resolve("scripts").resolve(name).toString()));
    argv.addAll(Arrays.asList(args));
    return new Command(argv, Map.of());
  }

  /** The real {@code etcdctl} binary with the v3 API against {@code endpoints}. */
  public static Command etcdctl(String endpoints, String... args) {
    List<String> argv = new ArrayList<>(List.of(which("etcdctl"), "--endpoints", endpoints, "--command-timeout", "5s"));
    argv.addAll(Arrays.asList(args));
    return new Command(argv, Map.of("ETCDCTL_API", "3"));
  }

  /** Debian's {@code /usr/bin/python3} (the one with python3-etcd3) running {@code script} unbuffered. */
  public static Command python(Path script, String... args) {
    List<String> argv = new ArrayList<>(List.of(Python.INTERPRETER, "-u", script.toString()));
    argv.addAll(Arrays.asList(args));
    return new Command(argv, Map.of());
  }

  /** A copy with one more environment variable. */
  public Command withEnv(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(env);
    more.put(name, value);
    return new Command(argv, more);
  }

  /** The environment the process gets: ours without the scrubbed settings, plus {@link #env()}. */
  Map<String, String> effectiveEnv(Map<String, String> inherited) {
    Map<String, String> out = new LinkedHashMap<>();
    inherited.forEach((k, v) -> {
      if (SCRUBBED_PREFIXES.stream().noneMatch(k::startsWith)) {
        out.put(k, v);
      }
    });
    out.put("LANG", LOCALE);
    out.putAll(env);
    return out;
  }

  private static Command java(Path jar, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(LEAN_JVM);
    argv.add("-jar");
    argv.add(jar.toString());
    argv.addAll(Arrays.asList(args));
    return new Command(argv, Map.of());
  }

  /** {@code <repo>/<module>/target/<module>.jar}; the repo root comes from {@code -Dmonitor.repo}. */
  public static Path jar(String module) {
    Path jar = repo().resolve(module).resolve("target").resolve(module + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build the jars first "
          + "(mvn -B install -DskipTests -pl monitor-common,monitor-agent,monitor-server -am)");
    }
    return jar;
  }

  /** The repository's root, from {@code -Dmonitor.repo}. */
  private static Path repo() {
    return Path.of(System.getProperty("monitor.repo", "..")).toAbsolutePath().normalize();
  }

  static String which(String binary) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    Path usrBin = Path.of("/usr/bin", binary);
    if (Files.isExecutable(usrBin)) {
      return usrBin.toString();
    }
    throw new IllegalStateException("no " + binary + " on PATH: install it with `apt-get install -y etcd-client`");
  }

  @Override
  public String toString() {
    return String.join(" ", argv);
  }
}
