package io.monitorlab.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's Python monitor ({@code monitor-it/src/test/resources/lab/monitor_heartbeat.py}, run by Debian's
 * {@code /usr/bin/python3} with python3-etcd3), for figures side by side with ours. Absent when the script or
 * the interpreter is missing.
 */
final class LabMonitor {
  static final Path PYTHON = Path.of("/usr/bin/python3");
  static final Path SCRIPT = Path.of("monitor-it", "src", "test", "resources", "lab", "monitor_heartbeat.py");
  private static final Logger log = LoggerFactory.getLogger(LabMonitor.class);

  private LabMonitor() {}

  /** Starts it against the first endpoint (ETCD_HOST/ETCD_PORT, as the lab takes them), or empty when it cannot. */
  static Optional<Child> start(BenchContext ctx, String name) throws IOException {
    Path script = CommonOptions.repoRoot().resolve(SCRIPT);
    if (!Files.isExecutable(PYTHON) || !Files.isRegularFile(script)) {
      log.info("lab monitor not run: {} or {} missing", PYTHON, script);
      return Optional.empty();
    }
    URI first = ctx.endpoints().uris().get(0);
    return Optional.of(Child.start(name, List.of(PYTHON.toString(), "-u", script.toString()),
        Map.of("ETCD_HOST", first.getHost(), "ETCD_PORT", String.valueOf(first.getPort())), ctx.logDir(), LineLog.all()));
  }
}
