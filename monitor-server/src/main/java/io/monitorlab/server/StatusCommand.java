package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.options.GetOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Heartbeat;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import io.monitorlab.common.OneLine;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code monitor-server status}: one table of the nodes alive now, with their last heartbeat. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Prints the nodes that have a heartbeat key now, with their last heartbeat time.")
final class StatusCommand implements Callable<Integer> {
  private static final double MIN_TS = -62_167_219_200d;
  private static final double MAX_TS = 253_402_300_800d;

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  private final Map<String, String> env;
  private final Clock clock;

  StatusCommand(Map<String, String> env) {
    this(env, Clock.systemUTC());
  }

  StatusCommand(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  /** One row of the table. */
  record Row(String node, String status, Optional<Instant> last) {}

  @Override
  public Integer call() throws Exception {
    EtcdEndpoints endpoints;
    try {
      endpoints = connect.resolve(env);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    List<Row> rows = new ArrayList<>();
    try (Client client = EtcdClients.connect(endpoints)) {
      GetResponse got = EtcdClients.call(client.getKVClient()
          .get(EtcdClients.bytes(Keys.HEARTBEAT_PREFIX), GetOption.builder().isPrefix(true).build()), endpoints);
      for (KeyValue kv : got.getKvs()) {
        String node = Keys.nodeOf(Keys.HEARTBEAT_PREFIX, EtcdClients.text(kv.getKey())).orElse("");
        Optional<Heartbeat> hb = Heartbeat.parse(EtcdClients.text(kv.getValue()));
        rows.add(new Row(NodeNames.escape(node),
            hb.map(Heartbeat::status).filter(s -> !s.isEmpty()).map(OneLine::of).orElse("?"),
            hb.filter(h -> isDate(h.ts())).map(Heartbeat::time)));
      }
    }
    rows.sort(Comparator.comparing(Row::node));
    print(rows, spec.commandLine().getOut(), clock.instant());
    return 0;
  }

  static void print(List<Row> rows, PrintWriter out, Instant now) {
    int width = Math.max(4, rows.stream().mapToInt(r -> r.node().length()).max().orElse(0));
    String format = "%-" + width + "s  %-8s  %-27s  %s%n";
    out.printf(format, "NODE", "STATUS", "LAST HEARTBEAT (UTC)", "AGE");
    for (Row r : rows) {
      String last = r.last().map(Instant::toString).orElse("-");
      String age = r.last().map(t -> seconds(Duration.between(t, now))).orElse("-");
      out.printf(format, r.node(), r.status(), last, age);
    }
    out.println("[Status] Total alive: " + rows.size());
    out.flush();
  }

  /** Whether a foreign {@code ts} is a time this table can show (years 0 to 9999); NaN and infinities are not. */
  private static boolean isDate(double ts) {
    return ts >= MIN_TS && ts < MAX_TS;
  }

  private static String seconds(Duration d) {
    return String.format("%.1fs", d.toMillis() / 1000.0);
  }
}
