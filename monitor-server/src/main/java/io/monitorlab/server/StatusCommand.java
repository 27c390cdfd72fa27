package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.server.fleet.Fleet;
import io.monitorlab.server.fleet.FleetWatch;
import io.monitorlab.server.fleet.Listing;
import io.monitorlab.server.fleet.Listings;
import io.monitorlab.server.fleet.NodeView;
import com.fasterxml.jackson.core.JsonGenerator;
import io.monitorlab.server.web.FleetJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code monitor-server status}: the fleet once, a row per known node (alive, left, and registered
 * nodes without a heartbeat), from one listing read through the same model the monitor runs.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = {"Prints the fleet once: a row per known node with its state, since when, the age of its last",
        "heartbeat, cpu, memory and disk use, and its config (desired revision, applied or rejected)."})
final class StatusCommand implements Callable<Integer> {
  enum Format { table, json }

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
      description = "table (default) or json: the JSON of a monitor's GET /api/v1/nodes.")
  Format format = Format.table;

  private final Map<String, String> env;
  private final Clock clock;

  StatusCommand(Map<String, String> env) {
    this(env, Clock.systemUTC());
  }

  StatusCommand(Map<String, String> env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  @Override
  public Integer call() throws Exception {
    EtcdEndpoints endpoints;
    try {
      endpoints = connect.resolve(env);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Listing listing;
    try (Client client = EtcdClients.connect(endpoints)) {
      listing = EtcdClients.call(Listings.read(client), endpoints);
    }
    Instant instant = clock.instant();
    double now = instant.getEpochSecond() + instant.getNano() / 1e9;
    Fleet fleet = new Fleet(FleetWatch.REVOKE_GRACE, FleetWatch.LOST_AFTER, System.nanoTime());
    fleet.onListing(listing, System.nanoTime(), now);
    List<NodeView> nodes = fleet.nodes();
    PrintWriter out = spec.commandLine().getOut();
    if (format == Format.json) {
      StringWriter json = new StringWriter();
      try (JsonGenerator g = FleetJson.generator(json)) {
        FleetJson.fleet(g, listing.revision(), true, now, nodes);
      }
      out.println(json);
      out.flush();
    } else {
      StatusTable.print(nodes, now, out);
    }
    return 0;
  }
}
