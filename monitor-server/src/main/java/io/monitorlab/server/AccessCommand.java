package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.NodeNames;
import io.monitorlab.server.access.AccessPlan;
import io.monitorlab.server.access.EtcdAccess;
import io.monitorlab.server.access.ServerGaps;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code monitor-server access init|add-node|remove-node}: sets up etcd's roles and users for least
 * privilege ({@link AccessPlan}), idempotently, printing one {@code [Access]} line per role and user.
 * Run it with etcd's root identity (e.g. the client certificate with CN root).
 */
@Command(name = "access", mixinStandardHelpOptions = true,
    description = {"Sets up etcd users and roles of least privilege (run as etcd's root user):",
        "  monitor-reader (user monitor): read /monitor/;",
        "  monitor-operator (user operator): read /monitor/, write /monitor/config/ and /monitor/nodes/;",
        "  monitor-node-NODE (user NODE): write exactly NODE's heartbeat, nodes, metrics and status keys, read its config key.",
        "Users authenticate with a client certificate whose CN is their name (etcd --client-cert-auth).",
        "Every command is idempotent and prints what it did."},
    subcommands = {CommandLine.HelpCommand.class})
final class AccessCommand {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  private final Map<String, String> env;

  AccessCommand(Map<String, String> env) {
    this.env = env;
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Creates the reader and operator roles and users, and a role and user per NODE given; "
          + "with --enable-auth also user root and turns authentication on. Warns about permission checks the etcd "
          + "server version is known to miss.")
  int init(@Mixin ConnectOptions options, @Option(names = "--enable-auth", description = "Also create user root (role root) and enable authentication.")
      boolean enableAuth,
      @Parameters(arity = "0..*", paramLabel = "NODE", description = "Nodes to set up as well.") List<String> nodes)
      throws Exception {
    return withAccess("init", options, nodes, (access, client, at, names) -> {
      warnAboutGaps(client, at);
      access.ensureRole(AccessPlan.reader());
      access.ensureUser(new AccessPlan.User(AccessPlan.MONITOR_USER, AccessPlan.READER_ROLE));
      access.ensureRole(AccessPlan.operator());
      access.ensureUser(new AccessPlan.User(AccessPlan.OPERATOR_USER, AccessPlan.OPERATOR_ROLE));
      for (String node : names) {
        access.addNode(node);
      }
      if (enableAuth) {
        access.enableAuth();
      }
    });
  }

  @Command(name = "add-node", mixinStandardHelpOptions = true,
      description = "Creates role monitor-node-NODE (exactly NODE's keys) and user NODE, or brings them back to that.")
  int addNode(@Mixin ConnectOptions options, @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node names.") List<String> nodes)
      throws Exception {
    return withAccess("add-node", options, nodes, (access, client, at, names) -> {
      for (String node : names) {
        access.addNode(node);
      }
    });
  }

  @Command(name = "remove-node", mixinStandardHelpOptions = true,
      description = "Deletes user NODE and role monitor-node-NODE; the node's identity can then write nothing.")
  int removeNode(@Mixin ConnectOptions options, @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node names.") List<String> nodes)
      throws Exception {
    return withAccess("remove-node", options, nodes, (access, client, at, names) -> {
      for (String node : names) {
        access.removeNode(node);
      }
    });
  }

  /** What a subcommand does once its input is checked and etcd is connected. */
  private interface Work {
    void run(EtcdAccess access, Client client, EtcdEndpoints at, List<String> nodes) throws InterruptedException;
  }

  /** Checks the node names and the connection options of {@code subcommand}, connects, runs {@code work}; exit 0. */
  private int withAccess(String subcommand, ConnectOptions options, List<String> nodes, Work work) throws InterruptedException {
    List<String> names = nodeNames(nodes, subcommand);
    EtcdEndpoints at = resolve(subcommand, options);
    try (Client client = EtcdClients.connect(at)) {
      work.run(new EtcdAccess(client, at, spec.commandLine().getOut()), client, at, names);
    }
    return 0;
  }

  /** One {@code [Access] warning:} line per known gap of the first member's etcd version. */
  private void warnAboutGaps(Client client, EtcdEndpoints at) throws InterruptedException {
    URI first = at.uris().get(0);
    String version;
    try {
      StatusResponse status = client.getMaintenanceClient().statusMember(first.getHost() + ":" + first.getPort())
          .get(EtcdClients.CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      version = status.getVersion();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      spec.commandLine().getErr().println("monitor-server access: could not read etcd's version (" + EtcdErrors.describe(e)
          + "); not checking it for known permission gaps");
      return;
    }
    PrintWriter out = spec.commandLine().getOut();
    List<String> gaps = ServerGaps.of(version);
    for (String gap : gaps) {
      out.println("[Access] warning: etcd " + version + " at " + first.getHost() + ":" + first.getPort() + ": " + gap);
    }
    out.flush();
  }

  private List<String> nodeNames(List<String> nodes, String subcommand) {
    try {
      return nodes == null ? List.of() : nodes.stream().map(n -> NodeNames.require(n, "NODE")).toList();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine().getSubcommands().get(subcommand), e.getMessage());
    }
  }

  private EtcdEndpoints resolve(String subcommand, ConnectOptions sub) {
    try {
      return sub.resolve(env, connect);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine().getSubcommands().get(subcommand), e.getMessage());
    }
  }
}
