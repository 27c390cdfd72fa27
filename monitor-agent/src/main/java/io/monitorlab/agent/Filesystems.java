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
 * are left out ({@link MountTable}); a device mounted twice is counted once. Each statfs
 * runs on a helper thread with a timeout: a hung mount (an NFS server gone) is skipped and, while its
 * call is still stuck, not asked again. A mount that vanished is skipped. Not thread-safe: used by the
 * work loop only.
 */
final class Filesystems {
  private static final Logger log = LoggerFactory.getLogger(Filesystems.class);
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
    this(roots, new CachedStores(), Duration.ofSeconds(1));
  }

  Filesystems(MetricRoots roots, Statfs statfs, Duration timeout) {
    this.roots = roots;
    this.statfs = statfs;
    this.timeout = timeout;
  }

  static Usage statfs(Path path) throws IOException {
    return usage(Files.getFileStore(path));
  }

  private static Usage usage(FileStore store) throws IOException {
    // On Linux each call is a fresh statvfs: f_blocks * f_frsize and f_bavail * f_frsize, as df's Size and Avail.
    return new Usage(store.getTotalSpace(), store.getUsableSpace());
  }

  /**
   * statfs through a FileStore kept per path: finding a path's store reads the whole mount table, asking
   * a store for its space is one statvfs of its path. A failed call drops the store. Thread-safe.
   */
  static final class CachedStores implements Statfs {
    private final Map<Path, FileStore> stores = new ConcurrentHashMap<>();

    @Override
    public Usage of(Path path) throws IOException {
      FileStore store = stores.get(path);
      if (store == null) {
        store = Files.getFileStore(path);
        stores.put(path, store);
      }
      try {
        return usage(store);
      } catch (IOException e) {
        stores.remove(path);
        throw e;
      }
    }
  }

  /**
   * Usage by mount point, in the order of the mount table. All mounts are asked at once and share one
   * timeout, so that however many hang, a reading takes at most that long.
   */
  Map<String, Usage> read() throws IOException {
    Map<String, Future<Usage>> asked = new LinkedHashMap<>();
    Set<String> devices = new HashSet<>();
    for (String line : ProcFiles.read(roots.mounts()).split("\n")) {
      List<String> f = ProcFiles.fields(line);
      if (f.size() < 3) {
        continue;
      }
      String mountPoint = MountTable.unescape(f.get(1));
      if (!MountTable.isReal(f.get(2), mountPoint) || asked.containsKey(mountPoint) || !devices.add(f.get(0))) {
        continue;
      }
      Future<Usage> call = ask(mountPoint);
      if (call != null) {
        asked.put(mountPoint, call);
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Usage> out = new LinkedHashMap<>();
    for (Map.Entry<String, Future<Usage>> e : asked.entrySet()) {
      Usage u = answer(e.getKey(), e.getValue(), deadline);
      if (u != null && u.size() > 0) {
        out.put(e.getKey(), u);
      }
    }
    return out;
  }

  /** Starts a statfs of the mount point; null while an earlier one is still stuck. */
  private Future<Usage> ask(String mountPoint) {
    Future<Usage> pending = stuck.get(mountPoint);
    if (pending != null) {
      if (!pending.isDone()) {
        return null;
      }
      stuck.remove(mountPoint);
    }
    Path path = roots.mountPoint(mountPoint);
    return calls.submit(() -> statfs.of(path));
  }

  private Usage answer(String mountPoint, Future<Usage> call, long deadline) {
    try {
      Usage u = call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
}
