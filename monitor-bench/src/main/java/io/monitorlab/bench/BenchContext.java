package io.monitorlab.bench;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every bench group shares: etcd (a client and its HTTP endpoints), the command lines of the
 * real processes, the log folder, a per-invocation tag that keeps node names
 * unique ({@code bench-<tag>-...}), and the report. {@link #close()} is idempotent. Thread-safe.
 */
final class BenchContext implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BenchContext.class);
  static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final EtcdEndpoints endpoints;
  private final Jvm jvm;
  private final Path logDir;
  private final Path json;
  private final String tag;
  private final Report report;
  private final Client client;
  private final EtcdHttp http;

  private BenchContext(EtcdEndpoints endpoints, Jvm jvm, Path logDir, Path json, String tag, Report report, EtcdHttp http) {
    this.endpoints = endpoints;
    this.jvm = jvm;
    this.logDir = logDir;
    this.json = json;
    this.tag = tag;
    this.report = report;
    this.http = http;
    this.client = EtcdClients.connect(endpoints);
  }

  /** Connects and describes the run (command, machine, etcd version) at the top of the report. */
  static BenchContext open(EtcdEndpoints endpoints, Jvm jvm, Path logDir, Path json, String tag, List<String> args)
      throws InterruptedException {
    EtcdHttp http = new EtcdHttp(endpoints);
    String version = http.version().orElse("unknown (no answer from /version)");
    Report report = new Report(MachineInfo.header(args,
        new MachineInfo.BenchContextInfo(endpoints.joined(), version, logDir.toAbsolutePath().toString())));
    log.info("bench start endpoints={} etcd_version={} tag={} logs={}", endpoints, version, tag, logDir.toAbsolutePath());
    return new BenchContext(endpoints, jvm, logDir, json, tag, report, http);
  }

  /**
   * A context on another etcd, whose processes get {@code jvm}'s command lines, sharing this one's log folder,
   * tag and report; it has its own client: close it before this one.
   */
  BenchContext on(EtcdEndpoints other, Jvm otherJvm, EtcdHttp otherHttp) {
    return new BenchContext(other, otherJvm, logDir, json, tag, report, otherHttp);
  }

  EtcdEndpoints endpoints() {
    return endpoints;
  }

  Jvm jvm() {
    return jvm;
  }

  Client client() {
    return client;
  }

  EtcdHttp http() {
    return http;
  }

  Report report() {
    return report;
  }

  Path logDir() {
    return logDir;
  }

  /** A node name unique to this invocation: {@code bench-<tag>-<suffix>}. */
  String node(String suffix) {
    return "bench-" + tag + "-" + suffix;
  }

  /** Starts a real agent for {@code node}; its output goes to {@code <node>.out/.err} in the log folder. */
  Child startAgent(String node) throws IOException {
    return Child.start(node, jvm.agent(node), logDir, LineLog.all());
  }

  /** Starts a real monitor without HTTP; its status lists are not kept (they grow with the fleet). */
  Child startMonitor(String name) throws IOException {
    return startMonitor(name, List.of());
  }

  /**
   * Starts a real monitor with {@code args} after its endpoints. Without an {@code --http} among them it serves
   * no HTTP (MONITOR_HTTP=off, which older jars ignore): the default port 9780 would be taken by the first
   * monitor, or by anyone else's on this machine.
   */
  Child startMonitor(String name, List<String> args) throws IOException {
    Map<String, String> env = args.contains("--http") ? Map.of() : Map.of("MONITOR_HTTP", "off");
    return Child.start(name, jvm.server(args), env, logDir, new LineLog(Console::notStatusList));
  }

  /** Starts a real monitor serving HTTP on {@code 127.0.0.1:port}. */
  Child startHttpMonitor(String name, int port) throws IOException {
    return startMonitor(name, List.of("--http", "127.0.0.1:" + port));
  }

  /**
   * Starts a monitor and waits for its start-up status pair, or fails naming its log.
   */
  Child startReadyMonitor(String name) throws IOException, InterruptedException {
    return ready(startMonitor(name), name);
  }

  /** Waits for a started monitor's start-up status pair, or kills it and fails naming its log. */
  Child ready(Child m, String name) throws InterruptedException {
    Optional<LineLog.Line> ready = m.out().await(Console.totalAlive(), 0, START_TIMEOUT);
    if (ready.isEmpty()) {
      m.close();
      throw new IllegalStateException("the monitor printed no \"" + Console.STATUS_TOTAL.trim() + "\" line within "
          + START_TIMEOUT.toSeconds() + "s; see " + logDir.resolve(name + ".out") + " and .err");
    }
    return m;
  }

  /** Writes the figures so far to the JSON file (after each group, so an interrupted bench keeps them). */
  void save() {
    try {
      report.writeJson(json);
    } catch (IOException e) {
      log.warn("cannot write results file={} error=\"{}\"", json, e.getMessage());
    }
  }

  /** Prints the table, writes the JSON; exit code 0 when every goal was met, else 3. */
  int finish(PrintWriter out) {
    report.print(out);
    save();
    out.println("Results: " + json.toAbsolutePath() + "; process logs: " + logDir.toAbsolutePath());
    out.flush();
    return report.anyFailed() ? BenchCommand.GOAL_MISSED : 0;
  }

  @Override
  public void close() {
    client.close();
  }
}
