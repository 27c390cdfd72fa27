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
import java.util.concurrent.TimeUnit;

/** One real etcd process on loopback, with its own data directory and log file. */
public final class EtcdMember {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  private final String name;
  private final int clientPort;
  private final int peerPort;
  private final Path dataDir;
  private final Path log;
  private volatile Process process;
  private volatile boolean paused;

  EtcdMember(String name, int clientPort, int peerPort, Path baseDir) {
    this.name = name;
    this.clientPort = clientPort;
    this.peerPort = peerPort;
    this.dataDir = baseDir.resolve(name + ".data");
    this.log = baseDir.resolve(name + ".log");
  }

  public String name() {
    return name;
  }

  /** {@code 127.0.0.1:port} of the client listener. */
  public String endpoint() {
    return "127.0.0.1:" + clientPort;
  }

  public URI clientUri() {
    return URI.create("http://" + endpoint());
  }

  String peerUrl() {
    return "http://127.0.0.1:" + peerPort;
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

  void start(String etcdBin, String initialCluster, String token, EtcdCluster.Timing timing) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(etcdBin,
        "--name", name,
        "--data-dir", dataDir.toString(),
        "--listen-client-urls", "http://" + endpoint(),
        "--advertise-client-urls", "http://" + endpoint(),
        "--listen-peer-urls", peerUrl(),
        "--initial-advertise-peer-urls", peerUrl(),
        "--initial-cluster", initialCluster,
        "--initial-cluster-token", token,
        "--initial-cluster-state", "new",
        "--heartbeat-interval", String.valueOf(timing.heartbeat().toMillis()),
        "--election-timeout", String.valueOf(timing.election().toMillis()),
        "--grpc-keepalive-min-time", "1s",
        "--log-level", "warn",
        "--logger", "zap"));
    process = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    paused = false;
  }

  /** Whether {@code /health} answers {@code true} (the member is up and the cluster has a leader). */
  public boolean isHealthy() {
    try {
      HttpResponse<String> r = HTTP.send(
          HttpRequest.newBuilder(URI.create("http://" + endpoint() + "/health")).timeout(Duration.ofMillis(800)).build(),
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
