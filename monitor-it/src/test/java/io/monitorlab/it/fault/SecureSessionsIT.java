package io.monitorlab.it.fault;

import static io.monitorlab.it.support.Match.containing;
import static io.monitorlab.it.support.Match.prefix;
import static io.monitorlab.it.support.MonitorLines.alive;
import static io.monitorlab.it.support.MonitorLines.gone;
import static java.time.Duration.ofSeconds;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.monitorlab.common.test.EtcdCluster;
import io.monitorlab.common.test.TestPki;
import io.monitorlab.it.support.Command;
import io.monitorlab.it.support.Line;
import io.monitorlab.it.support.Nodes;
import io.monitorlab.it.support.Processes;
import io.monitorlab.it.support.Quiet;
import io.monitorlab.it.support.RunningProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long-lived sessions against a secured etcd: etcd's auth tokens expire every 2 s for a minute while
 * an agent and a monitor log in with passwords, and the leader of a TLS 3-member cluster is killed.
 * Neither may show: no DEAD or LEFT for a live node, no lost lease, no lost config update, no error.
 */
@Tag("fault")
@Timeout(180)
class SecureSessionsIT {
  private static final Duration RUN = ofSeconds(30);
  /** A lease a fault broke would have expired by then: TTL, the 0.5 s a new leader adds, the expiry tick, delivery. */
  private static final Duration AFTERMATH = ofSeconds(5).plusMillis(1500);

  @RegisterExtension final Processes processes = new Processes();

  @Test
  void passwordSessionsOutliveThirtyAuthTokenLifetimesWithoutAFailure() throws Exception {
    String node = Nodes.unique("token");
    try (EtcdCluster etcd = EtcdCluster.tls(1).authTokenTtl(ofSeconds(2))) {
      etcd.start();
      TestPki pki = etcd.pki();
      RunningProcess init = processes.run("access-init", Command.server(connect(etcd, etcd.rootCert(),
          "access", "init", "--enable-auth", node)), RUN);
      assertThat(init.exitCode()).as("access init: %s", init.transcript()).isZero();
      Path agentPassword = password(etcd, node);
      Path monitorPassword = password(etcd, "monitor");
      // etcd's --client-cert-auth wants a certificate on every connection; the password's token decides who it is.
      TestPki.KeyPair anyone = pki.client("nobody");
      RunningProcess monitor = processes.start("monitor", Command.server(connect(etcd, anyone,
          "--user", "monitor", "--password-file", monitorPassword.toString(), "--status-every", "1")));
      monitor.awaitLine(prefix("[Status] Total alive: "), RUN);
      RunningProcess agent = processes.start(node, Command.agent(connect(etcd, anyone,
          "--node", node, "--user", node, "--password-file", agentPassword.toString())));
      monitor.awaitLine(alive(node), RUN);

      long until = System.nanoTime() + ofSeconds(60).toNanos();
      int interval = 1;
      while (System.nanoTime() < until) {
        interval = interval % 3 + 1;
        RunningProcess set = processes.run("config-set", Command.server(connect(etcd, etcd.rootCert(),
            "config", "set", node, "{\"interval\": " + interval + ", \"metrics\": [\"cpu\"]}")), RUN);
        assertThat(set.exitCode()).as("config set: %s", set.transcript()).isZero();
        long setAt = System.nanoTime();
        agent.awaitLineSince(setAt, containing("interval=" + interval + "s"), ofSeconds(10));
        Quiet.assertNoLineFor(monitor, gone(node), ofSeconds(8), "while auth tokens expire every 2 s");
      }
      assertThat(agent.isAlive()).isTrue();
      assertThat(agent.stdoutText()).as("the lease was never lost").noneMatch(l -> l.contains("Lease lost") || l.contains("lease lost"));
      for (RunningProcess p : List.of(monitor, agent)) {
        assertThat(p.stderrText()).as("%s: no error", p.name()).noneMatch(l -> l.contains(" ERROR ") || l.contains("Exception"));
      }
    }
  }

  @Test
  void killingTheLeaderOfATlsClusterWithAuthGivesNoFalseDead() throws Exception {
    String node = Nodes.unique("tls-leader");
    try (EtcdCluster etcd = EtcdCluster.tls(3)) {
      etcd.start();
      TestPki pki = etcd.pki();
      RunningProcess init = processes.run("access-init", Command.server(connect(etcd, etcd.rootCert(),
          "access", "init", "--enable-auth", node)), RUN);
      assertThat(init.exitCode()).as("access init: %s", init.transcript()).isZero();
      RunningProcess monitor = processes.start("monitor", Command.server(connect(etcd, pki.client("monitor"), "--status-every", "1")));
      monitor.awaitLine(prefix("[Status] Total alive: "), RUN);
      processes.start(node, Command.agent(connect(etcd, pki.client(node), "--node", node)));
      monitor.awaitLine(alive(node), RUN);

      int leader = etcd.leaderIndex();
      etcd.kill(leader);
      await().atMost(ofSeconds(15)).ignoreExceptions().until(() -> etcd.leaderIndex() != leader);
      long elected = System.nanoTime();
      System.out.println("[fault] killed TLS leader m" + leader + "; a new one leads");
      Quiet.assertNoLineFor(monitor, gone(node), AFTERMATH, "after the TLS leader m" + leader + " was killed");
      Line status = monitor.awaitLineSince(elected, containing("[Status] Currently ALIVE nodes: ['" + node + "']"), RUN);
      assertThat(status.text()).contains(node);
    }
  }

  private static String[] connect(EtcdCluster etcd, TestPki.KeyPair cert, String... args) {
    List<String> out = new ArrayList<>(Arrays.asList(args));
    out.addAll(List.of("--endpoints", etcd.endpoints(), "--cacert", etcd.caCert().toString(),
        "--cert", cert.cert().toString(), "--key", cert.key().toString()));
    return out.toArray(String[]::new);
  }

  /** Gives {@code user} a known password (access init made it a random one) and writes it to a file. */
  private static Path password(EtcdCluster etcd, String user) throws Exception {
    String secret = "pw-" + user + "-" + Long.toHexString(System.nanoTime());
    Client root = etcd.client();
    root.getAuthClient().userChangePassword(bytes(user), bytes(secret)).get(5, TimeUnit.SECONDS);
    return Files.writeString(etcd.pki().dir().resolve(user + ".pw"), secret + "\n");
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
