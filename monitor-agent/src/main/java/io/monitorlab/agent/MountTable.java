package io.monitorlab.agent;

import java.util.List;
import java.util.Set;

/**
 * Which lines of a mount table ({@code /proc/1/mounts}) are the node's real filesystems: pseudo
 * filesystems and container layers are left out, as node_exporter's default {@code fs-types-exclude}
 * and {@code mount-points-exclude} leave them out. Pure; this class is thread-safe.
 */
final class MountTable {
  static final Set<String> PSEUDO = Set.of("proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "overlay",
      "squashfs", "autofs", "mqueue", "securityfs", "debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl",
      "hugetlbfs", "binfmt_misc", "nsfs", "ramfs", "rpc_pipefs", "efivarfs", "selinuxfs", "aufs", "shm", "nfsd",
      "iso9660", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "none");
  /** Container layers, pod volumes and kernel trees: not the node's disks. */
  private static final List<String> CONTAINER_PATHS = List.of("/var/lib/docker/", "/var/lib/containerd/",
      "/run/containerd/", "/var/lib/kubelet/pods/", "/var/lib/containers/", "/run/docker/", "/proc/", "/sys/", "/dev/", "/run/credentials/");

  private MountTable() {}

  static boolean isReal(String type, String mountPoint) {
    if (PSEUDO.contains(type) || type.startsWith("fuse.") && !type.equals("fuse.sshfs")) {
      return false;
    }
    for (String p : CONTAINER_PATHS) {
      if ((mountPoint + "/").startsWith(p)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isOctal(String s, int from) {
    for (int i = from; i < from + 3; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '7') {
        return false;
      }
    }
    return true;
  }

  /** The mount table escapes blanks and backslashes as octal ({@code \040}). */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 4 <= s.length() && isOctal(s, i + 1)) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
