package io.monitorlab.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.monitorlab.common.test.EtcdCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both packages installed for real into a scratch root (dpkg --root, maintainer scripts run with DPKG_ROOT):
 * the installed wrappers run an agent and a monitor against a local etcd; an upgrade keeps an edited
 * environment file; removing the agent's package stops the agent it ran.
 */
@Timeout(value = 60)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DebInstallIT {
  private static final Duration UP = Duration.ofSeconds(30);

  @RegisterExtension
  static final EtcdCluster ETCD = EtcdCluster.single();

  @TempDir
  static Path tmp;
  static Path root;

  @BeforeAll
  @Timeout(150)
  static void installBothPackages() throws IOException {
    root = Dist.scratchRoot(tmp.resolve("root"));
    Dist.dpkgOk(root, "-i", Dist.deb("agent").toString(), Dist.deb("server").toString());
  }

  @AfterAll
  static void leaveNothingRunning() {
    ProcessHandle.allProcesses().filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(root.toString())).orElse(false))
        .forEach(ProcessHandle::destroyForcibly);
  }

  @Test
  @Order(1)
  void postinstDecidedTheHostOptionsAndBuiltTheClassDataArchiveForThisJdk() throws IOException {
    for (String app : new String[] {"agent", "server"}) {
      Path state = root.resolve("var/lib/etcd-monitor-" + app);
      assertThat(state.resolve("monitor-" + app + ".jsa")).isNotEmptyFile();
      assertThat(Files.readString(state.resolve(app + "-host.jvm")))
          .contains("-XX:SharedArchiveFile=" + state.resolve("monitor-" + app + ".jsa"));
    }
    Path agent = root.resolve("var/lib/etcd-monitor-agent");
    assertThat(agent.resolve("monitor-agent-tls.jsa")).as("the archive for agents that talk TLS").isNotEmptyFile();
    assertThat(Files.readString(agent.resolve("agent-tls-host.jvm")))
        .contains("-XX:SharedArchiveFile=" + agent.resolve("monitor-agent-tls.jsa"));
    assertThat(agent).as("the training's throwaway keys are gone").isDirectoryNotContaining("glob:**.{p12,key,crt}");
  }

  @Test
  @Order(2)
  void theInstalledWrappersRunAnAgentTheMonitorSeesAliveThenLeftAfterSigterm() {
    try (Proc monitor = monitor(); Proc agent = agent("deb-node-1")) {
      monitor.awaitLine("[+] Node deb-node-1 ALIVE", UP);
      agent.terminate();
      monitor.awaitLine("[-] Node deb-node-1 LEFT", Duration.ofSeconds(10));
      agent.awaitExit(Duration.ofSeconds(10));
      assertThat(agent.output()).as("the archive postinst built is accepted").doesNotContain("[cds]");
    }
  }

  @Test
  @Order(3)
  void anUpgradeKeepsTheEditedEnvironmentFile() throws IOException {
    Path env = root.resolve("etc/default/etcd-monitor-agent");
    String edited = Files.readString(env).replace("ETCD_ENDPOINTS=127.0.0.1:2379", "ETCD_ENDPOINTS=10.1.2.3:2379")
        + "NODE_NAME=edited-by-the-operator\n";
    Files.writeString(env, edited);
    Path unpacked = tmp.resolve("repack");
    String dpkgDeb = Proc.which("dpkg-deb", "dpkg");
    Proc.ok(Dist.DPKG, dpkgDeb, "-R", Dist.deb("agent").toString(), unpacked.toString());
    Path control = unpacked.resolve("DEBIAN/control");
    Files.writeString(control, Files.readString(control).replaceAll("(?m)^Version: .*$", "Version: 99.0.0"));
    Path newer = tmp.resolve("etcd-monitor-agent_99.0.0_all.deb");
    Proc.ok(Dist.DPKG, dpkgDeb, "--root-owner-group", "-b", unpacked.toString(), newer.toString());

    String out = Dist.dpkgOk(root, "-i", newer.toString());

    assertThat(out).contains("Unpacking etcd-monitor-agent (99.0.0)");
    assertThat(Files.readString(env)).isEqualTo(edited);
    assertThat(env.resolveSibling("etcd-monitor-agent.dpkg-dist")).doesNotExist();
    assertThat(Dist.dpkgOk(root, "-s", "etcd-monitor-agent")).contains("Status: install ok installed", "Version: 99.0.0");
  }

  @Test
  @Order(4)
  void removingTheAgentPackageStopsTheAgentItRanWhichAnnouncesLeft() {
    try (Proc monitor = monitor(); Proc agent = agent("deb-node-2")) {
      monitor.awaitLine("[+] Node deb-node-2 ALIVE", UP);

      Dist.dpkgOk(root, "--remove", "etcd-monitor-agent");

      assertThat(agent.isAlive()).as("the agent outlived its package").isFalse();
      monitor.awaitLine("[-] Node deb-node-2 LEFT", Duration.ofSeconds(10));
      assertThat(root.resolve("usr/bin/monitor-agent")).doesNotExist();
      assertThat(root.resolve("var/lib/etcd-monitor-agent")).doesNotExist();
      assertThat(root.resolve("etc/default/etcd-monitor-agent")).as("a conffile stays until purge").exists();
    }
    Dist.dpkgOk(root, "--purge", "etcd-monitor-agent");
    assertThat(root.resolve("etc/default/etcd-monitor-agent")).doesNotExist();
  }

  private static Proc monitor() {
    Proc p = Proc.start(Map.of("ETCD_MONITOR_ROOT", root.toString(), "ETCD_ENDPOINTS", ETCD.endpoints(),
        "MONITOR_HTTP", "127.0.0.1:0"), root.resolve("usr/bin/monitor-server").toString());
    p.awaitLine("[Status] Total alive:", UP);
    return p;
  }

  private static Proc agent(String node) {
    return Proc.start(Map.of("ETCD_MONITOR_ROOT", root.toString(), "ETCD_ENDPOINTS", ETCD.endpoints(), "NODE_NAME", node,
        "HEARTBEAT_TTL", "5"), root.resolve("usr/bin/monitor-agent").toString());
  }
}
