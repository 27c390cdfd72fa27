package io.monitorlab.dist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files this module built (target/), the repository, and a scratch root to install packages into. */
final class Dist {
  static final Duration DPKG = Duration.ofSeconds(120);
  static final Path TARGET = Path.of(System.getProperty("dist.dir", "target")).toAbsolutePath();
  static final Path REPO = Path.of(System.getProperty("monitor.repo", "..")).toAbsolutePath().normalize();
  static final String VERSION = System.getProperty("dist.version", "1.0.0-SNAPSHOT");

  private Dist() {}

  /** target/etcd-monitor-&lt;app&gt;_*_all.deb. */
  static Path deb(String app) {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(f -> f.getFileName().toString().matches("etcd-monitor-" + app + "_.*_all\\.deb")).findFirst()
          .orElseThrow(() -> new AssertionError("no etcd-monitor-" + app + " .deb in " + TARGET + ": run mvn package first"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tarball() {
    return TARGET.resolve("etcd-monitor-" + VERSION + ".tar.gz");
  }

  static Path argfile(String app) {
    return REPO.resolve("monitor-" + app).resolve("src/main/jvm").resolve(app + ".jvm");
  }

  /** An empty dpkg database under {@code root}, for {@code dpkg --root}. */
  static Path scratchRoot(Path root) throws IOException {
    for (String dir : List.of("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "var/log")) {
      Files.createDirectories(root.resolve(dir));
    }
    Files.writeString(root.resolve("var/lib/dpkg/status"), "");
    return root;
  }

  /**
   * dpkg acting on the scratch root; the maintainer scripts run outside a chroot with DPKG_ROOT set, and the
   * dependency on a Java runtime is not looked for there (the host's java runs the wrappers).
   */
  static Proc dpkg(Path root, String... args) {
    List<String> argv = new ArrayList<>(List.of(Proc.which("dpkg", "dpkg"), "--root=" + root,
        "--log=" + root.resolve("var/log/dpkg.log"), "--force-script-chrootless", "--force-depends", "--force-not-root"));
    argv.addAll(List.of(args));
    return Proc.run(DPKG, argv.toArray(String[]::new));
  }

  static String dpkgOk(Path root, String... args) {
    Proc p = dpkg(root, args);
    if (p.exitCode() != 0) {
      throw new AssertionError("dpkg " + String.join(" ", args) + " exited " + p.exitCode() + ":\n" + p.output());
    }
    return p.output();
  }
}
