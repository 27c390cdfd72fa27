package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The metric readers on the fixture proc trees of {@code src/test/resources/proc-fixtures} (see its README). */
@Timeout(30)
class MetricFixturesTest {
  private static final long GIB = 1L << 30;

  @TempDir Path proc;
  @TempDir Path rootfs;
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void releaseHungMount() {
    release.countDown();
  }

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(MetricFixturesTest.class.getResource("/proc-fixtures/" + name).toURI());
  }

  private void use(String fixture, String file) throws Exception {
    Path to = proc.resolve(file);
    Files.createDirectories(to.getParent());
    Files.copy(fixture(fixture).resolve(file), to, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The host's mount points under {@code rootfs}, all but the unplugged disk; /home is NFS. */
  private Filesystems filesystems(Filesystems.Statfs statfs) throws IOException {
    for (String dir : List.of("boot/efi", "var/lib/data", "srv/data-bind", "var/lib/kubelet", "home", "mnt/usb stick")) {
      Files.createDirectories(rootfs.resolve(dir));
    }
    return new Filesystems(new MetricRoots(proc, rootfs), statfs, Duration.ofMillis(300));
  }

  /** A statfs that knows every mount point's size by its path: 100 GiB with 40 GiB available. */
  private Filesystems.Usage fake(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      throw new NoSuchFileException(path.toString());
    }
    return new Filesystems.Usage(100 * GIB, 40 * GIB);
  }

  @Test
  void cpuOfANodeTenSecondsApartCountsGuestTimeOnce() throws Exception {
    use("node", "stat");
    CpuUsage cpu = new CpuUsage(proc);
    assertThat(cpu.read()).isNull();
    use("node-later", "stat");

    // total +2000 jiffies, idle + iowait +1100: 0.45 (0.5 if the +200 guest were added to user's +600 again).
    assertThat(cpu.read()).isCloseTo(0.45, within(1e-9));
  }

  @Test
  void aResetCounterGivesNoCpuReadingForThatIntervalOnly() throws Exception {
    use("node", "stat");
    CpuUsage cpu = new CpuUsage(proc);
    cpu.read();
    use("reset", "stat");
    assertThat(cpu.read()).as("counters went backwards").isNull();
    use("node", "stat");
    Double next = cpu.read();
    assertThat(next).as("the interval after the reset counts again").isNotNull().isBetween(0.0, 1.0);
  }

  @Test
  void memoryIsReadInBytesAndEstimatedOnKernelsWithoutMemAvailable() throws Exception {
    use("node", "meminfo");
    assertThat(new MemoryInfo(proc).read()).isEqualTo(new MemoryInfo.Reading(24683748L * 1024, 22396184L * 1024));

    use("old-kernel", "meminfo");
    assertThat(new MemoryInfo(proc).read()).as("MemFree + Buffers + Cached")
        .isEqualTo(new MemoryInfo.Reading(2048000L * 1024, (512000L + 64000 + 384000) * 1024));
  }

  @Test
  void theHostsRealMountsAreReportedOncePerDeviceAndTheRestIsLeftOut() throws Exception {
    use("node", "1/mounts");

    Map<String, Filesystems.Usage> got = filesystems(this::fake).read();

    // Left out: pseudo filesystems, the snap's squashfs, the kubelet's pod volumes, containerd's layers and shm,
    // fuse.lxcfs/gvfs, the bind mounts of a device already counted (/srv/data-bind, /var/lib/kubelet), the unplugged disk.
    assertThat(got).containsOnlyKeys("/", "/boot/efi", "/var/lib/data", "/home", "/mnt/usb stick");
    assertThat(got.get("/")).isEqualTo(new Filesystems.Usage(100 * GIB, 40 * GIB));
  }

  @Test
  void aHungNfsMountIsSkippedWithinTheTimeoutAndNotQueuedAgainWhileStuck() throws Exception {
    use("node", "1/mounts");
    AtomicInteger homeCalls = new AtomicInteger();
    Filesystems fs = filesystems(path -> {
      if (path.endsWith("home")) {
        homeCalls.incrementAndGet();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      return fake(path);
    });

    long t0 = System.nanoTime();
    assertThat(fs.read()).doesNotContainKey("/home").containsKeys("/", "/var/lib/data");
    assertThat(fs.read()).doesNotContainKey("/home").containsKeys("/", "/var/lib/data");
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(homeCalls).as("the stuck statfs is not asked again").hasValue(1);
    assertThat(took).as("one timeout, then skipped at once").isLessThan(Duration.ofSeconds(3));
    release.countDown();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> fs.read().containsKey("/home"));
  }

  @Test
  void severalHungMountsShareOneTimeoutInsteadOfAddingUp() throws Exception {
    use("node", "1/mounts");
    List<String> hung = List.of("home", "data", "efi");
    Filesystems fs = new Filesystems(new MetricRoots(proc, rootfs), path -> {
      if (hung.stream().anyMatch(path::endsWith)) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return fake(path);
    }, Duration.ofSeconds(1));
    filesystems(this::fake);

    long t0 = System.nanoTime();
    Map<String, Filesystems.Usage> got = fs.read();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(got).containsOnlyKeys("/", "/mnt/usb stick");
    assertThat(took).as("one 1 s timeout for the three, not three").isLessThan(Duration.ofMillis(2500));
  }

  @Test
  void theWholeValueAndLineOfAFixtureNode() throws Exception {
    for (String file : List.of("stat", "meminfo", "loadavg", "1/mounts", "1/net/dev")) {
      use("node", file);
    }
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T10:00:00.123456Z"), ZoneOffset.UTC);
    MetricsCollector c = new MetricsCollector(new MetricRoots(proc, rootfs), filesystems(this::fake), clock);
    use("node-later", "stat");
    String later = Files.readString(proc.resolve("1/net/dev")).replace("206939192", "206949432");
    Files.writeString(proc.resolve("1/net/dev"), later);

    MetricsCollector.Reading r = c.collect(List.of("cpu", "memory", "disk", "load", "network", "gpu"));

    JsonNode json = Json.parse(r.json());
    assertThat(json.fieldNames()).toIterable().containsExactly("ts", "cpu", "memory", "disk", "load", "network");
    assertThat(r.json()).startsWith("{\"ts\": 1796464800.123456, \"cpu\": {\"usage_ratio\": 0.45}, "
        + "\"memory\": {\"total_bytes\": 25276157952, \"available_bytes\": 22933692416}, \"disk\": {\"/\": "
        + "{\"size_bytes\": 107374182400, \"avail_bytes\": 42949672960}, ");
    assertThat(r.json()).contains("\"load\": {\"load1\": 0.52, \"load5\": 0.48, \"load15\": 0.4}, \"network\": {");
    assertThat(json.get("network").fieldNames()).toIterable().containsExactly("cali7c1f2a9e4b3", "eth0");
    assertThat(json.get("network").get("eth0").get("rx_bytes_per_second").asDouble()).isPositive();
    assertThat(r.line()).matches("\\[Metrics\\] cpu=45\\.0% memory=21\\.4/23\\.5 GiB available "
        + "disk=/ 40\\.0/100\\.0 GiB available, /boot/efi 40\\.0/100\\.0 GiB available, /var/lib/data 40\\.0/100\\.0 GiB available, "
        + "/home 40\\.0/100\\.0 GiB available, /mnt/usb stick 40\\.0/100\\.0 GiB available load=0\\.52 0\\.48 0\\.40 "
        + "network=cali7c1f2a9e4b3 rx 0\\.0 KiB/s tx 0\\.0 KiB/s, eth0 rx \\d+\\.\\d KiB/s tx 0\\.0 KiB/s");
  }
}
