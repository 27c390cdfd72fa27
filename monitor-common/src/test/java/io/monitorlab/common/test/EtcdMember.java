package io.monitorlab.common.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One real etcd process on loopback, with its own data directory and log file; in TLS mode its
 * client and peer listeners speak https with client-certificate auth, and {@code /health} and
 * {@code /metrics} stay plain http on an extra metrics port.
 */
public final class EtcdMember {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /** What every member of a cluster starts with. */
  record Launch(String etcdBin, String initialCluster, String token, EtcdCluster.Timing timing, Optional<Duration> authTokenTtl) {}

  /** A member's TLS material: the CA it trusts, its own certificate (server and peer), its plain-http metrics port. */
  record Tls(Path trustedCa, TestPki.KeyPair cert, int metricsPort) {}

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Optional<Tls> tls;
  private final Path dataDir;
  private final Path log;
  private volatile Process process;
  private volatile boolean paused;

  EtcdMember(String name, int clientPort, int peerPort, Optional<Tls> tls, Path baseDir) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.tls = tls;
    this.dataDir = baseDir.resolve(name + ".data");
    this.log = baseDir.resolve(name + ".log");
  }

  public String name() {
    return name;
  }

  /**
   * {@code 127.0.0.1:port} of the client listener, without a scheme (a gRPC target, as jetcd's
   * {@code statusMember} takes it). In TLS mode that listener speaks https only: read
   * {@code /metrics} and {@code /health} at {@link #metricsUri()}.
   */
  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  /** {@code https://127.0.0.1:port} in TLS mode, else {@code http://127.0.0.1:port}. */
  public URI clientUri() {
    return URI.create(scheme() + "://" + endpoint());
  }

  /** Where {@code /health} and {@code /metrics} answer plain http: the client port, or in TLS mode the metrics port. */
  public URI metricsUri() {
    return URI.create("http://" + tls.map(t -> "127.0.0.1:" + t.metricsPort()).orElse(endpoint()));
  }

  public boolean isTls() {
    return tls.isPresent();
  }

  String peerUrl() {
    return scheme() + "://127.0.0.1:" + peerPort;
  }

  private String scheme() {
    return tls.isPresent() ? "https" : "http";
  }

  public int clientPort() {
    return clientPort;
  }

  public long pid() {
    Process p = process;
    return p == null ? -1 : p.pid();
  }

  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  public boolean isPaused() {
    return paused;
  }

  void start(Launch launch) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(launch.etcdBin(),
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", clientUri().toString(),
        "--advertise-client-urls", clientUri().toString(),
        "--listen-peer-urls", peerUrl(),
        "--initial-advertise-peer-urls", peerUrl(),
        "--initial-cluster", launch.initialCluster(),
        "--initial-cluster-token", launch.token(),
        "--initial-cluster-state", "new",
        "--heartbeat-interval", String.valueOf(launch.timing().heartbeat().toMillis()),
        "--election-timeout", String.valueOf(launch.timing().election().toMillis()),
        "--grpc-keepalive-min-time", "1s",
        "--log-level", "warn",
        "--logger", "zap"));
    launch.authTokenTtl().ifPresent(ttl -> cmd.addAll(List.of("--auth-token-ttl", String.valueOf(ttl.toSeconds()))));
    tls.ifPresent(t -> cmd.addAll(tlsFlags(t)));
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    paused = false;
  }

  private static List<String> tlsFlags(Tls t) {
    String ca = t.trustedCa().toString();
    String cert = t.cert().cert().toString();
    String key = t.cert().key().toString();
    return List.of(
        "--cert-file", cert, "--key-file", key, "--trusted-ca-file", ca, "--client-cert-auth",
        "--peer-cert-file", cert, "--peer-key-file", key, "--peer-trusted-ca-file", ca, "--peer-client-cert-auth",
        "--listen-metrics-urls", "http://127.0.0.1:" + t.metricsPort());
  }

  /** Whether {@code /health} answers {@code true} (the member is up and the cluster has a leader). */
  public boolean isHealthy() {
    try {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(metricsUri().resolve("/health")).timeout(Duration.ofMillis(800)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 && r.body().contains("\"true\"");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (paused) {
      signal("CONT");
    }
    p.destroyForcibly();
    waitGone(p);
  }

  /** SIGTERM, and wait until the process is gone. */
  public void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    if (paused) {
      signal("CONT");
    }
    p.destroy();
    if (!waitGone(p, 5)) {
      p.destroyForcibly();
      waitGone(p);
    }
  }

  /** SIGSTOP: the process freezes with its sockets open, as a hung machine would. */
  public void pause() {
    signal("STOP");
    paused = true;
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("CONT");
    paused = false;
  }

  /** The last lines of the member's log, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void signal(String sig) {
    Process p = process;
    if (p == null || !p.isAlive()) {
      return;
    }
    try {
      Process kill = new ProcessBuilder("kill", "-" + sig, String.valueOf(p.pid())).inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + p.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + sig + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling etcd", e);
    }
  }

  private static void waitGone(Process p) {
    if (!waitGone(p, 10)) {
      throw new IllegalStateException("etcd pid " + p.pid() + " did not exit");
    }
  }

  private static boolean waitGone(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public String toString() {
    return name + "@" + endpoint();
  }
}
