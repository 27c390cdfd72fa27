package io.monitorlab.common.test;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that runs a real etcd cluster (1 or 3 members) on free loopback ports with
 * temporary data directories, and injects faults: kill, pause (SIGSTOP), resume and restart a member.
 * Registered on a static field it lives for the class; on an instance field, for each test; or
 * {@link #start()} it yourself and close it. The binary is {@code ETCD_BIN} or {@code etcd} on the
 * {@code PATH}. In TLS mode ({@link #tls(int)}) clients and peers speak https with client-certificate
 * auth, from a {@link TestPki} made in the cluster's temporary directory.
 */
public final class EtcdCluster implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, AutoCloseable {
  /** etcd's Raft timing: fast settings make elections quick, so fault tests stay short. */
  public record Timing(Duration heartbeat, Duration election) {
    public static final Timing DEFAULT = new Timing(Duration.ofMillis(100), Duration.ofMillis(1000));
    public static final Timing FAST = new Timing(Duration.ofMillis(50), Duration.ofMillis(500));
  }

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final int size;
  private final Timing timing;
  private final boolean tls;
  private final Optional<Duration> authTokenTtl;
  private final List<EtcdMember> members = new ArrayList<>();
  private EtcdMember.Launch launch;
  private Path baseDir;
  private TestPki pki;
  private TestPki.KeyPair rootCert;
  private Client client;
  private boolean perClass;

  private EtcdCluster(int size, Timing timing, boolean tls, Optional<Duration> authTokenTtl) {
    if (size != 1 && size != 3 && size != 5) {
      throw new IllegalArgumentException("cluster size must be 1, 3 or 5, got " + size);
    }
    this.size = size;
    this.timing = timing;
    this.tls = tls;
    this.authTokenTtl = authTokenTtl;
  }

  public static EtcdCluster single() {
    return new EtcdCluster(1, Timing.FAST, false, Optional.empty());
  }

  public static EtcdCluster of(int size) {
    return new EtcdCluster(size, Timing.FAST, false, Optional.empty());
  }

  public static EtcdCluster of(int size, Timing timing) {
    return new EtcdCluster(size, timing, false, Optional.empty());
  }

  /** A cluster whose clients and peers use TLS with client-certificate auth; see {@link #client()} and {@link #pki()}. */
  public static EtcdCluster tls(int size) {
    return new EtcdCluster(size, Timing.FAST, true, Optional.empty());
  }

  /** This cluster, with etcd's {@code --auth-token-ttl} (the life of a simple token got by user name and password). */
  public EtcdCluster authTokenTtl(Duration ttl) {
    if (ttl.toSeconds() < 1 || ttl.toNanosPart() != 0) {
      throw new IllegalArgumentException("auth token TTL must be whole seconds and at least 1s, got " + ttl);
    }
    return new EtcdCluster(size, timing, tls, Optional.of(ttl));
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
    String etcdBin = TestHost.etcdBinary();
    baseDir = Files.createTempDirectory("etcd-test-");
    if (tls) {
      pki = TestPki.create(baseDir.resolve("pki"));
      rootCert = pki.client("root");
    }
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < size; i++) {
      String name = "m" + i;
      Optional<EtcdMember.Tls> memberTls = tls ? Optional.of(new EtcdMember.Tls(pki.caCert(), pki.server(name), TestHost.freePort(ports))) : Optional.empty();
      members.add(new EtcdMember(name, TestHost.freePort(ports), TestHost.freePort(ports), memberTls, baseDir));
    }
    String initialCluster = members.stream().map(m -> m.name() + "=" + m.peerUrl()).collect(Collectors.joining(","));
    launch = new EtcdMember.Launch(etcdBin, initialCluster, "test-" + UUID.randomUUID(), timing, authTokenTtl);
    for (EtcdMember m : members) {
      m.start(launch);
    }
    awaitHealthy();
  }

  /** Comma-separated {@code 127.0.0.1:port} of every member; in TLS mode {@code https://127.0.0.1:port}. */
  public String endpoints() {
    return members.stream().map(m -> tls ? m.clientUri().toString() : m.endpoint()).collect(Collectors.joining(","));
  }

  public boolean isTls() {
    return tls;
  }

  /** The certificates of a TLS cluster: its CA, and {@code pki().client("worker1")} for a user's certificate. */
  public TestPki pki() {
    if (pki == null) {
      throw new IllegalStateException(tls ? "the TLS cluster is not started" : "a plaintext cluster has no PKI: use EtcdCluster.tls(size)");
    }
    return pki;
  }

  /** The CA file that members trust and present, for {@code --cacert}. */
  public Path caCert() {
    return pki().caCert();
  }

  /** The client certificate with {@code CN=root} that {@link #client()} presents: etcd's root user once auth is on. */
  public TestPki.KeyPair rootCert() {
    pki();
    return rootCert;
  }

  public EtcdMember member(int i) {
    return members.get(i);
  }

  public List<EtcdMember> members() {
    return List.copyOf(members);
  }

  /** A client for the whole cluster, closed with the cluster; in TLS mode it presents {@link #rootCert()}. */
  public synchronized Client client() {
    if (client == null) {
      client = tls ? clientBuilder(rootCert).build() : Client.builder().endpoints(clientUris()).build();
    }
    return client;
  }

  /**
   * A builder for a client of this TLS cluster that trusts its CA and presents {@code cert}; the
   * caller builds and closes it. No {@code authority()}: with several endpoints it would send every
   * request to one member.
   */
  public ClientBuilder clientBuilder(TestPki.KeyPair cert) {
    return Client.builder().endpoints(clientUris()).sslContext(pki().sslContext(cert));
  }

  /** Arguments for {@code etcdctl} (API v3) to reach every member, in TLS mode as the root certificate. */
  public List<String> etcdctlFlags() {
    List<String> flags = new ArrayList<>(List.of("--endpoints=" + endpoints()));
    if (tls) {
      flags.addAll(List.of("--cacert=" + caCert(), "--cert=" + rootCert.cert(), "--key=" + rootCert.key()));
    }
    return flags;
  }

  /**
   * Creates user {@code root} with role {@code root} and a random password, and turns auth on. In TLS
   * mode {@link #client()} keeps working: etcd takes the CN of its certificate as the user name. (A
   * plaintext {@link #client()} has no credentials and is refused from then on.) Returns root's
   * password, for clients that log in by name and password.
   */
  public String enableAuth() throws Exception {
    String password = UUID.randomUUID().toString();
    ByteSequence root = ByteSequence.from("root".getBytes(StandardCharsets.UTF_8));
    var auth = client().getAuthClient();
    auth.roleAdd(root).get(5, TimeUnit.SECONDS);
    auth.userAdd(root, ByteSequence.from(password.getBytes(StandardCharsets.UTF_8))).get(5, TimeUnit.SECONDS);
    auth.userGrantRole(root, root).get(5, TimeUnit.SECONDS);
    auth.authEnable().get(5, TimeUnit.SECONDS);
    return password;
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
    m.start(launch);
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
        if (!members.get(j).isRunning() || members.get(j).isPaused()) {
          continue;
        }
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
        m.start(launch);
        changed = true;
      }
    }
    if (changed) {
      awaitHealthy();
    }
  }

  @Override
  public synchronized void close() {
    if (client != null) {
      client.close();
      client = null;
    }
    for (EtcdMember m : members) {
      m.kill();
    }
    members.clear();
    pki = null;
    rootCert = null;
    if (baseDir != null) {
      TestHost.deleteTree(baseDir);
      baseDir = null;
    }
  }

  private List<URI> clientUris() {
    return members.stream().map(EtcdMember::clientUri).toList();
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
}
