package io.monitorlab.agent;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Size and available bytes of each real filesystem of the node, as {@code df} shows them (available =
 * {@code f_bavail}, what unprivileged users may still write). Pseudo filesystems and container layers
 * are left out, as node_exporter leaves them out; a device mounted twice is counted once. Each statfs
 * runs on a helper thread with a timeout: a hung mount (an NFS server gone) is skipped and, while its
 * call is still stuck, not asked again. A mount that vanished is skipped. Not thread-safe: used by the
 * work loop only.
 */
final class Filesystems {
  private static final Logger log = LoggerFactory.getLogger(Filesystems.class);
  static final Set<String> PSEUDO = Set.of("proc", "sysfs", "tmpfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "overlay",
      "squashfs", "autofs", "mqueue", "securityfs", "debugfs", "tracefs", "pstore", "bpf", "configfs", "fusectl",
      "hugetlbfs", "binfmt_misc", "nsfs", "ramfs", "rpc_pipefs", "efivarfs", "selinuxfs", "aufs", "shm", "nfsd",
      "iso9660", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal", "none");
  private static final List<String> CONTAINER_PATHS = List.of("/var/lib/docker/", "/var/lib/containerd/",
      "/run/containerd/", "/var/lib/kubelet/pods/", "/var/lib/containers/", "/run/docker/", "/proc/", "/sys/", "/dev/", "/run/credentials/");

  /** Bytes. */
  record Usage(long size, long avail) {}

  /** statfs of one path, replaceable in tests (a hung mount). */
  interface Statfs {
    Usage of(Path path) throws IOException;
  }

  private final MetricRoots roots;
  private final Statfs statfs;
  private final Duration timeout;
  private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "statfs");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Future<Usage>> stuck = new ConcurrentHashMap<>();
  private final Set<String> warned = new HashSet<>();

  Filesystems(MetricRoots roots) {
    this(roots, Filesystems::statfs, Duration.ofSeconds(1));
  }

  Filesystems(MetricRoots roots, Statfs statfs, Duration timeout) {
    this.roots = roots;
    this.statfs = statfs;
    this.timeout = timeout;
  }

  static Usage statfs(Path path) throws IOException {
    FileStore store = Files.getFileStore(path);
    // On Linux: f_blocks * f_frsize and f_bavail * f_frsize, as df's Size and Avail.
    return new Usage(store.getTotalSpace(), store.getUsableSpace());
  }

  /** Usage by mount point, in the order of the mount table. */
  Map<String, Usage> read() throws IOException {
    Map<String, Usage> out = new LinkedHashMap<>();
    Set<String> devices = new HashSet<>();
    for (String line : ProcFiles.read(roots.mounts()).split("\n")) {
      List<String> f = ProcFiles.fields(line);
      if (f.size() < 3) {
        continue;
      }
      String device = f.get(0);
      String mountPoint = unescape(f.get(1));
      if (!isReal(f.get(2), mountPoint) || out.containsKey(mountPoint) || !devices.add(device)) {
        continue;
      }
      Usage u = usage(mountPoint);
      if (u != null && u.size() > 0) {
        out.put(mountPoint, u);
      }
    }
    return out;
  }

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

  private Usage usage(String mountPoint) {
    Future<Usage> pending = stuck.get(mountPoint);
    if (pending != null) {
      if (!pending.isDone()) {
        return null;
      }
      stuck.remove(mountPoint);
    }
    Path path = roots.mountPoint(mountPoint);
    Future<Usage> call = calls.submit(() -> statfs.of(path));
    try {
      Usage u = call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      warned.remove(mountPoint);
      return u;
    } catch (TimeoutException e) {
      stuck.put(mountPoint, call);
      warnOnce(mountPoint, "statfs did not answer within " + timeout.toMillis() + " ms (a hung mount?); skipped until it does");
    } catch (ExecutionException e) {
      warnOnce(mountPoint, "statfs failed (" + e.getCause() + "); skipped");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return null;
  }

  private void warnOnce(String mountPoint, String what) {
    if (warned.add(mountPoint)) {
      log.warn("filesystem skipped mountpoint={} reason=\"{}\"", mountPoint, what);
    }
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
