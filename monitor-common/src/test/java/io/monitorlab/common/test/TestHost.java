package io.monitorlab.common.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Set;
import java.util.stream.Stream;

/** What {@link EtcdCluster} needs from the machine: the etcd binary, free loopback ports, temporary trees. Stateless. */
final class TestHost {
  private TestHost() {}

  /** {@code ETCD_BIN}, or {@code etcd} on the {@code PATH}. */
  static String etcdBinary() {
    String env = System.getenv("ETCD_BIN");
    if (env != null && !env.isBlank()) {
      if (Files.isExecutable(Path.of(env))) {
        return env;
      }
      throw new IllegalStateException("ETCD_BIN=" + env + " is not an executable file");
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, "etcd");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("no etcd binary on PATH and ETCD_BIN is unset: install it with "
        + "`apt-get install -y etcd-server etcd-client` (or run scripts/test.sh, which does)");
  }

  /** A loopback port that is free now and not in {@code taken}; it is added to {@code taken}. */
  static int freePort(Set<Integer> taken) throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
        int port = s.getLocalPort();
        if (taken.add(port)) {
          return port;
        }
      }
    }
    throw new IOException("no free loopback port found");
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
