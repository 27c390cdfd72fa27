package io.monitorlab.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the two packages and the tarball hold: control fields, files, conffiles, scripts, units. */
@Timeout(60)
class PackageContentsIT {
  private static final Duration TOOL = Duration.ofSeconds(30);

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void theControlFieldsNameThePackageAndAJava17Runtime(String app) {
    String deb = Dist.deb(app).toString();
    String dpkgDeb = Proc.which("dpkg-deb", "dpkg");
    assertThat(Proc.ok(TOOL, dpkgDeb, "-f", deb, "Package").strip()).isEqualTo("etcd-monitor-" + app);
    assertThat(Proc.ok(TOOL, dpkgDeb, "-f", deb, "Architecture").strip()).isEqualTo("all");
    assertThat(Proc.ok(TOOL, dpkgDeb, "-f", deb, "Depends").strip())
        .isEqualTo("default-jre-headless (>= 2:1.17) | java17-runtime-headless");
    assertThat(Proc.ok(TOOL, dpkgDeb, "-f", deb, "Version").strip()).startsWith(Dist.VERSION.replace("-SNAPSHOT", ""));
    assertThat(Proc.ok(TOOL, dpkgDeb, "-f", deb, "Maintainer", "Description")).contains("Maintainer: ", "Description: ");
    assertThat(Proc.ok(TOOL, dpkgDeb, "-I", deb, "conffiles").strip()).isEqualTo("/etc/default/etcd-monitor-" + app);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void thePackageHoldsTheJarTheArgumentFileTheWrapperTheUnitAndTheEnvironmentFile(String app) throws IOException {
    Path root = unpack(app);
    String pkg = "etcd-monitor-" + app;
    assertThat(root.resolve("usr/share/" + pkg + "/monitor-" + app + ".jar")).isRegularFile();
    assertThat(root.resolve("usr/share/" + pkg + "/" + app + ".jvm")).hasSameBinaryContentAs(Dist.argfile(app));
    assertThat(root.resolve("usr/share/" + pkg + "/cds-archive.sh")).hasSameBinaryContentAs(Dist.REPO.resolve("scripts/cds-archive.sh"));
    assertThat(Files.isExecutable(root.resolve("usr/bin/monitor-" + app))).isTrue();
    assertThat(root.resolve("lib/systemd/system/" + pkg + ".service")).isRegularFile();
    String env = Files.readString(root.resolve("etc/default/" + pkg));
    assertThat(env).containsPattern("(?m)^ETCD_ENDPOINTS=\\S+$")
        .containsPattern("(?m)^#ETCDCTL_CACERT=").containsPattern("(?m)^#ETCDCTL_CERT=").containsPattern("(?m)^#ETCDCTL_KEY=")
        .containsPattern("(?m)^#ETCDCTL_USER=").containsPattern("(?m)^#MONITOR_ETCD_PASSWORD_FILE=");
    if (app.equals("agent")) {
      assertThat(env).containsPattern("(?m)^#?NODE_NAME=");
    } else {
      assertThat(env).containsPattern("(?m)^MONITOR_HTTP=127\\.0\\.0\\.1:9780$");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void theMaintainerScriptsAndWrappersPassShellcheck(String app) throws IOException {
    Path control = Files.createDirectories(tmp.resolve("control"));
    Proc.ok(TOOL, Proc.which("dpkg-deb", "dpkg"), "-e", Dist.deb(app).toString(), control.toString());
    Path root = unpack(app);
    String share = root.resolve("usr/share/etcd-monitor-" + app).toString();
    String shellcheck = Proc.which("shellcheck", "shellcheck");
    // The scripts source maintscript-lib.sh from their folder's parent (as in src/deb/).
    Files.copy(Path.of(share, "maintscript-lib.sh"), tmp.resolve("maintscript-lib.sh"));
    for (String script : List.of("postinst", "prerm", "postrm")) {
      assertThat(Files.isExecutable(control.resolve(script))).as(script).isTrue();
      Proc p = Proc.run(TOOL, shellcheck, "-s", "sh", "-x", control.resolve(script).toString());
      assertThat(p.exitCode()).as("shellcheck %s:\n%s", script, p.output()).isZero();
    }
    assertThat(Files.readString(control.resolve("triggers"))).contains("interest-noawait /usr/lib/jvm");
    Proc p = Proc.run(TOOL, shellcheck, share + "/maintscript-lib.sh", share + "/cds-archive.sh",
        root.resolve("usr/bin/monitor-" + app).toString());
    assertThat(p.exitCode()).as("shellcheck:\n%s", p.output()).isZero();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"agent", "server"})
  void theUnitPassesSystemdAnalyzeVerifyAndIsHardened(String app) throws IOException {
    Path root = unpack(app);
    String pkg = "etcd-monitor-" + app;
    String unit = Files.readString(root.resolve("lib/systemd/system/" + pkg + ".service"));
    assertThat(unit).contains("ExecStart=/usr/bin/monitor-" + app + "\n", "EnvironmentFile=-/etc/default/" + pkg + "\n",
        "Restart=on-failure\n", "KillSignal=SIGTERM\n", "NoNewPrivileges=yes\n", "ProtectSystem=strict\n",
        "DynamicUser=yes\n", "WantedBy=multi-user.target\n");
    assertThat(unit).containsPattern("(?m)^ProtectHome=(yes|read-only)$");
    int stop = Integer.parseInt(unit.replaceAll("(?s).*\nTimeoutStopSec=(\\d+)\n.*", "$1"));
    assertThat(stop).as("TimeoutStopSec: room for the agent's 2 s departure").isBetween(3, 30);
    // systemd-analyze checks that ExecStart exists: point the unit at the unpacked tree.
    Path copy = tmp.resolve(pkg + ".service");
    Files.writeString(copy, unit.replace("/usr/bin/", root + "/usr/bin/").replace("/etc/default/", root + "/etc/default/"));
    Proc p = Proc.run(TOOL, Proc.which("systemd-analyze", "systemd"), "verify", copy.toString());
    assertThat(p.exitCode()).as("systemd-analyze verify:\n%s", p.output()).isZero();
    assertThat(p.output()).as("systemd-analyze warnings").isBlank();
  }

  @Test
  void theTarballHoldsBinLibConfAndTheUnits() throws IOException {
    String list = Proc.ok(TOOL, "tar", "-tzvf", Dist.tarball().toString());
    String base = "etcd-monitor-" + Dist.VERSION + "/";
    List<String> names = Arrays.stream(list.split("\n")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList();
    assertThat(names).contains(base + "bin/monitor-agent", base + "bin/monitor-server", base + "bin/setup",
        base + "lib/monitor-agent.jar", base + "lib/monitor-server.jar", base + "lib/cds-archive.sh",
        base + "conf/agent.jvm", base + "conf/server.jvm", base + "conf/etcd-monitor-agent", base + "conf/etcd-monitor-server",
        base + "systemd/etcd-monitor-agent.service", base + "systemd/etcd-monitor-server.service", base + "README");
    assertThat(list).containsPattern("-rwxr-xr-x .* " + base + "bin/monitor-agent");
    Proc.ok(TOOL, "tar", "-xzf", Dist.tarball().toString(), "-C", tmp.toString());
    for (String app : List.of("agent", "server")) {
      assertThat(tmp.resolve(base + "conf/" + app + ".jvm")).hasSameBinaryContentAs(Dist.argfile(app));
      assertThat(Files.readString(tmp.resolve(base + "systemd/etcd-monitor-" + app + ".service")))
          .contains("ExecStart=/opt/etcd-monitor/bin/monitor-" + app + "\n",
              "EnvironmentFile=-/opt/etcd-monitor/conf/etcd-monitor-" + app + "\n");
    }
  }

  private Path unpack(String app) throws IOException {
    Path root = tmp.resolve("root-" + app);
    if (!Files.isDirectory(root)) {
      Files.createDirectories(root);
      Proc.ok(TOOL, Proc.which("dpkg-deb", "dpkg"), "-x", Dist.deb(app).toString(), root.toString());
    }
    return root;
  }
}
