package io.monitorlab.agent;

import java.nio.file.Path;

/**
 * Where the agent reads the node's metrics from, like node_exporter's {@code --path.procfs} and
 * {@code --path.rootfs}: a DaemonSet mounts the host's {@code /proc} and {@code /} and points these at
 * them; tests point them at fixture trees. Immutable.
 *
 * @param proc the proc filesystem ({@code /proc})
 * @param sys the sysfs ({@code /sys}); no metric of the five reads it yet, it is there for the DaemonSet's
 *     {@code SYS_ROOT} and for metrics to come (as node_exporter's {@code --path.sysfs})
 * @param rootfs the root the mount points of {@code proc/1/mounts} are under ({@code /})
 */
record MetricRoots(Path proc, Path sys, Path rootfs) {
  static final MetricRoots HOST = new MetricRoots(Path.of("/proc"), Path.of("/sys"), Path.of("/"));

  /** Fixture trees: proc and rootfs given, sysfs the host's. */
  MetricRoots(Path proc, Path rootfs) {
    this(proc, HOST.sys(), rootfs);
  }

  /** The mount table: our own when we read our own {@code /proc}, else that of the host's init. */
  Path mounts() {
    return proc.equals(HOST.proc()) ? proc.resolve("self/mounts") : proc.resolve("1/mounts");
  }

  /** Interface counters: our network namespace, or the host's init's when reading the host's {@code /proc}. */
  Path netDev() {
    return proc.equals(HOST.proc()) ? proc.resolve("net/dev") : proc.resolve("1/net/dev");
  }

  /** Where a mount point of the mount table is, seen from here. */
  Path mountPoint(String mountPoint) {
    return rootfs.resolve(mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint);
  }
}
