package io.monitorlab.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.monitorlab.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class MetricReadersTest {
  @TempDir Path proc;
  @TempDir Path rootfs;

  private void write(String file, String text) throws IOException {
    Path p = proc.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static String stat(long user, long nice, long system, long idle, long iowait, long guest) {
    return "cpu  " + user + " " + nice + " " + system + " " + idle + " " + iowait + " 0 0 0 " + guest + " 0\ncpu0 1 2 3 4 5 0 0 0 0 0\n";
  }

  @Test
  void cpuIsTheBusyShareOfTheIntervalWithoutCountingGuestTimeTwice() throws Exception {
    CpuUsage cpu = new CpuUsage(proc);
    write("stat", stat(100, 0, 100, 700, 100, 50));
    assertThat(cpu.read()).as("no window yet").isNull();
    write("stat", stat(250, 0, 150, 850, 150, 150));

    // busy +200 (user 150 incl. guest 100, system 50), idle+iowait +200: guest is inside user already.
    assertThat(cpu.read()).isCloseTo(0.5, within(1e-9));
  }

  @Test
  void aCpuCounterGoingBackwardsGivesNoReadingInsteadOfANonsenseRatio() throws Exception {
    CpuUsage cpu = new CpuUsage(proc);
    write("stat", stat(1000, 0, 1000, 7000, 1000, 0));
    cpu.read();
    write("stat", stat(10, 0, 10, 70, 10, 0));
    assertThat(cpu.read()).isNull();
    write("stat", stat(20, 0, 20, 80, 20, 0));
    assertThat(cpu.read()).as("the next interval counts again").isCloseTo(20.0 / 40, within(1e-9));
  }

  @Test
  void memoryIsMemTotalAndMemAvailableInBytesOrAnEstimateWithoutMemAvailable() throws Exception {
    write("meminfo", "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nMemAvailable:    8000000 kB\nBuffers: 100 kB\n");
    assertThat(new MemoryInfo(proc).read()).isEqualTo(new MemoryInfo.Reading(16_000_000L * 1024, 8_000_000L * 1024));

    write("meminfo", "MemTotal:       16000000 kB\nMemFree:         1000000 kB\nBuffers:          200000 kB\nCached:          3000000 kB\n");
    assertThat(new MemoryInfo(proc).read().available()).isEqualTo(4_200_000L * 1024);
  }

  @Test
  void loadAndNetworkRatesAreRead() throws Exception {
    write("loadavg", "0.52 0.48 0.40 2/345 6789\n");
    assertThat(new LoadAverage(proc).read()).isEqualTo(new LoadAverage.Reading(0.52, 0.48, 0.40));

    String header = "Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes\n";
    write("net/dev", header + "    lo: 999 1 0 0 0 0 0 0 999 1 0 0 0 0 0 0\n  eth0: 1000 10 0 0 0 0 0 0 500 5 0 0 0 0 0 0\n"
        + "  eth1: 5000 10 0 0 0 0 0 0 5000 5 0 0 0 0 0 0\n");
    NetworkRates net = new NetworkRates(proc.resolve("net/dev"));
    assertThat(net.read(0)).isEmpty();
    write("net/dev", header + "  eth0: 3000 10 0 0 0 0 0 0 1500 5 0 0 0 0 0 0\n  eth1: 10 10 0 0 0 0 0 0 10 5 0 0 0 0 0 0\n");

    Map<String, NetworkRates.Rate> rates = net.read(2_000_000_000L);
    assertThat(rates).containsOnlyKeys("eth0").as("eth1's counters went backwards; lo is left out");
    assertThat(rates.get("eth0")).isEqualTo(new NetworkRates.Rate(1000, 500));
  }

  @Test
  void disksAreRealMountsOnceEachAndPseudoOrContainerOnesAreLeftOut() throws Exception {
    Files.createDirectories(rootfs.resolve("data"));
    Files.createDirectories(rootfs.resolve("mnt/with space"));
    write("1/mounts", String.join("\n",
        "/dev/sda1 / ext4 rw 0 0", "proc /proc proc rw 0 0", "tmpfs /run tmpfs rw 0 0",
        "overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0", "/dev/sdb1 /data xfs rw 0 0",
        "/dev/sdb1 /data/again xfs rw 0 0", "/dev/sdc1 /mnt/with\\040space ext4 rw 0 0",
        "/dev/sdd1 /var/lib/kubelet/pods/abc/volumes ext4 rw 0 0", "/dev/sde1 /gone ext4 rw 0 0", ""));
    Filesystems fs = new Filesystems(new MetricRoots(proc, rootfs), Filesystems::statfs, Duration.ofSeconds(1));

    Map<String, Filesystems.Usage> got = fs.read();

    assertThat(got).containsOnlyKeys("/", "/data", "/mnt/with space").as("/gone vanished: skipped");
    assertThat(got.get("/").size()).isPositive();
  }

  @Test
  void aHungMountIsSkippedAfterTheTimeoutAndNotAskedAgainWhileStuck() throws Exception {
    write("1/mounts", "/dev/sda1 / ext4 rw 0 0\nnfs:/export /nfs nfs4 rw 0 0\n");
    CountDownLatch release = new CountDownLatch(1);
    int[] nfsCalls = {0};
    Filesystems fs = new Filesystems(new MetricRoots(proc, rootfs), path -> {
      if (path.endsWith("nfs")) {
        nfsCalls[0]++;
        try {
          release.await();
        } catch (InterruptedException e) {
          throw new IOException("interrupted", e);
        }
      }
      return new Filesystems.Usage(100, 40);
    }, Duration.ofMillis(200));

    long t0 = System.nanoTime();
    assertThat(fs.read()).containsOnlyKeys("/");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(fs.read()).containsOnlyKeys("/");
    assertThat(nfsCalls[0]).as("a stuck call is not repeated").isEqualTo(1);
    release.countDown();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fs.read().containsKey("/nfs"));
  }

  @Test
  void theValueHoldsOnlyTheConfiguredMetricsWithTsFirstAndAFailedOneIsNull() throws Exception {
    write("stat", stat(1, 1, 1, 1, 1, 0));
    write("loadavg", "1.00 2.00 3.00 1/1 1\n");
    Clock clock = Clock.fixed(Instant.parse("2026-12-05T00:00:00.5Z"), ZoneOffset.UTC);
    MetricsCollector c = new MetricsCollector(new MetricRoots(proc, rootfs), clock);

    MetricsCollector.Reading r = c.collect(List.of("load", "memory"));

    assertThat(r.json()).isEqualTo("{\"ts\": 1796428800.5, \"load\": {\"load1\": 1.0, \"load5\": 2.0, \"load15\": 3.0}, \"memory\": null}");
    assertThat(r.line()).isEqualTo("[Metrics] load=1.00 2.00 3.00 memory=error");
    assertThat(c.collect(List.of()).line()).isEqualTo("[Metrics] none configured");
  }

  @Test
  void readingsAgreeWithTheKernelAndDfAtTheSameMoment() throws Exception {
    MetricsCollector c = new MetricsCollector(MetricRoots.HOST, Clock.systemUTC());
    JsonNode before = Json.parse(c.collect(List.of("memory", "disk", "cpu", "load", "network")).json());
    long total = 0;
    long available = 0;
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemTotal:")) {
        total = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      } else if (line.startsWith("MemAvailable:")) {
        available = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
      }
    }
    Process df = new ProcessBuilder("df", "-B1", "--output=avail", "/").start();
    List<String> dfOut = new String(df.getInputStream().readAllBytes()).lines().toList();
    assertThat(df.waitFor(10, TimeUnit.SECONDS)).isTrue();
    long dfAvail = Long.parseLong(dfOut.get(1).trim());

    assertThat(before.get("memory").get("total_bytes").asLong()).isEqualTo(total);
    assertThat((double) before.get("memory").get("available_bytes").asLong()).isCloseTo(available, within(total * 0.02));
    assertThat((double) before.get("disk").get("/").get("avail_bytes").asLong()).isCloseTo(dfAvail, within(dfAvail * 0.01));
    assertThat(before.get("cpu").isNull() || before.get("cpu").get("usage_ratio").asDouble() <= 1).isTrue();
  }

  @Test
  void mountPointsUnescapeOctalAndLeaveOtherBackslashesAndNonAsciiAlone() {
    assertThat(MountTable.unescape("/mnt/a\\040b\\134c")).isEqualTo("/mnt/a b\\c");
    assertThat(MountTable.unescape("/mnt/tab\\011new\\012")).isEqualTo("/mnt/tab\tnew\n");
    assertThat(MountTable.unescape("/plain")).isEqualTo("/plain");
    assertThat(MountTable.unescape("/x\\04")).as("cut short").isEqualTo("/x\\04");
    assertThat(MountTable.unescape("/x\\999\\")).isEqualTo("/x\\999\\");
    assertThat(MountTable.unescape("/données\\040été")).isEqualTo("/données été");
  }

  @Test
  void realFilesystemsAreThoseNodeExporterKeeps() {
    assertThat(MountTable.isReal("ext4", "/")).isTrue();
    assertThat(MountTable.isReal("nfs4", "/home")).isTrue();
    assertThat(MountTable.isReal("fuse.sshfs", "/mnt/remote")).isTrue();
    assertThat(MountTable.isReal("fuse.lxcfs", "/var/lib/lxcfs")).isFalse();
    assertThat(MountTable.isReal("fuse.rclone", "/mnt/cloud")).isFalse();
    for (String pseudo : List.of("proc", "sysfs", "tmpfs", "devtmpfs", "cgroup2", "overlay", "squashfs", "autofs", "nsfs")) {
      assertThat(MountTable.isReal(pseudo, "/x")).as(pseudo).isFalse();
    }
    assertThat(MountTable.isReal("ext4", "/var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/pvc/mount")).isFalse();
    assertThat(MountTable.isReal("xfs", "/var/lib/docker/overlay2/abc/merged")).isFalse();
    assertThat(MountTable.isReal("ext4", "/var/lib/containerd")).isFalse();
    assertThat(MountTable.isReal("ext4", "/var/lib/kubelet")).as("the kubelet's own disk is a disk").isTrue();
    assertThat(MountTable.isReal("ext4", "/run/containerd-data")).as("only the tree itself").isTrue();
  }
}
