package io.monitorlab.common.test;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a real etcd cluster (1 or 3 members) on free loopback ports with
 * temporary data directories, and injects faults: kill, pause (SIGSTOP), resume and restart a member.
 * Registered on a static field it lives for the class; on an instance field, for each test.
 * The binary is {@code ETCD_BIN} or {@code etcd} on the {@code PATH}.
 */
public final class EtcdCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  /** etcd's Raft timing: fast settings make elections quick, so fault tests stay short. */
  public record Timing(Duration heartbeat, Duration election) {
    public static final Timing DEFAULT = new Timing(Duration.ofMillis(100), Duration.ofMillis(1000));
    public static final Timing FAST = new Timing(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final int size;
  private final Timing timing;
  private final List<EtcdMember> members = new ArrayList<>();
  private String etcdBin;
  private String initialCluster;
  private String token;
  private Path baseDir;
  private Client client;
  private boolean perClass;

  private EtcdCluster(int size, Timing timing) {
    if (size != 1 && size != 3 && size != 5) {
      throw new IllegalArgumentException("cluster size must be 1, 3 or 5, got " + size);
    }
    this.size = size;
    this.timing = timing;
  }

  public static EtcdCluster single() {
    return new EtcdCluster(1, Timing.FAST);
  }

  public static EtcdCluster of(int size) {
    return new EtcdCluster(size, Timing.FAST);
  }

  public static EtcdCluster of(int size, Timing timing) {
    return new EtcdCluster(size, timing);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      start();
    } else {
      // A test that killed or paused members leaves the next one a whole cluster.
      heal();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      close();
    }
  }

  /** Starts every member and waits until all are healthy. */
  public synchronized void start() throws IOException {
    etcdBin = findEtcd();
    baseDir = Files.createTempDirectory("etcd-test-");
    token = "test-" + UUID.randomUUID();
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < size; i++) {
      members.add(new EtcdMember("m" + i, freePort(ports), freePort(ports), baseDir));
    }
    initialCluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    for (EtcdMember m : members) {
      m.start(etcdBin, initialCluster, token, timing);
    }
    awaitHealthy();
  }

  /** Comma-separated {@code 127.0.0.1:port} of every member. */
  public String endpoints() {
    return members.stream().map(EtcdMember::endpoint).collect(Collectors.joining(","));
  }

  public EtcdMember member(int i) {
    return members.get(i);
  }

  public List<EtcdMember> members() {
    return List.copyOf(members);
  }

  /** A client for the whole cluster, closed with the cluster. */
  public synchronized Client client() {
    if (client == null) {
      client = Client.builder().endpoints(members.stream().map(EtcdMember::clientUri).toList()).build();
    }
    return client;
  }

  public void kill(int i) {
    members.get(i).kill();
  }

  public void pause(int i) {
    members.get(i).pause();
  }

  public void resume(int i) {
    members.get(i).resume();
  }

  /** Kills member {@code i} (if running) and starts it again on the same ports and data. */
  public void restart(int i) throws IOException {
    EtcdMember m = members.get(i);
    m.kill();
    m.start(etcdBin, initialCluster, token, timing);
    awaitHealthy();
  }

  /** The index of the current leader, asking the members that answer. */
  public int leaderIndex() throws Exception {
    for (EtcdMember m : members) {
      if (!m.isRunning() || m.isPaused()) {
        continue;
      }
      StatusResponse status = client().getMaintenanceClient().statusMember(m.endpoint()).get(2, TimeUnit.SECONDS);
      long leader = status.getLeader();
      for (int j = 0; j < members.size(); j++) {
        StatusResponse s = client().getMaintenanceClient().statusMember(members.get(j).endpoint()).get(2, TimeUnit.SECONDS);
        if (s.getHeader().getMemberId() == leader) {
          return j;
        }
      }
    }
    throw new IllegalStateException("no member reports a leader");
  }

  /** Resumes paused members and restarts dead ones, then waits until all are healthy. */
  public synchronized void heal() throws IOException {
    boolean changed = false;
    for (EtcdMember m : members) {
      if (m.isPaused()) {
        m.resume();
        changed = true;
      }
      if (!m.isRunning()) {
        m.start(etcdBin, initialCluster, token, timing);
        changed = true;
      }
    }
    if (changed) {
      awaitHealthy();
    }
  }

  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    for (EtcdMember m : members) {
      m.kill();
    }
    members.clear();
    if (baseDir != null) {
      deleteTree(baseDir);
      baseDir = null;
    }
  }

  private void awaitHealthy() {
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    for (EtcdMember m : members) {
      while (!m.isHealthy()) {
        if (!m.isRunning()) {
          throw new IllegalStateException("etcd member " + m + " exited at start; log:\n" + m.logTail());
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("etcd member " + m + " not healthy after " + START_TIMEOUT.toSeconds() + "s; log:\n" + m.logTail());
        }
        try {
          Thread.sleep(20); // polling a child process for readiness; there is no event to wait on
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for etcd", e);
        }
      }
    }
  }

  static String findEtcd() {
    String env = System.getenv("ETCD_BIN");
    if (env != null && !env.isBlank()) {
      if (Files.isExecutable(Path.of(env))) {
        return env;
      }
      throw new IllegalStateException("ETCD_BIN=" + env + " is not an executable file");
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("no etcd binary on PATH and ETCD_BIN is unset: install it with "
        + "`apt-get install -y etcd-server etcd-client` (or run scripts/test.sh, which does)");
  }

  private static int freePort(Set<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        int port = s.getLocalPort();
        if (taken.add(port)) {
          return port;
        }
      }
    }
    throw new IOException("no free loopback port found");
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
