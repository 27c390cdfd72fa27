package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.kv.GetResponse;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.LabDefaults;
import io.monitorlab.common.NodeConfig;
import io.monitorlab.common.NodeNames;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code monitor-server config init|set|get}: node configs for machines without etcdctl. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = "Writes and reads node configs at /monitor/config/<node>.",
    subcommands = {CommandLine.HelpCommand.class})
final class ConfigCommand {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  private final Map<String, String> env;

  ConfigCommand(Map<String, String> env) {
    this.env = env;
  }

  static CommandLine commandLine(Map<String, String> env) {
    return new CommandLine(new ConfigCommand(env));
  }

  @Command(name = "init", mixinStandardHelpOptions = true,
      description = "Writes the lab's default config for worker1, worker2 and master.")
  int init(@Mixin ConnectOptions options) throws Exception {
    EtcdEndpoints endpoints = endpoints("init", options);
    try (Client client = EtcdClients.connect(endpoints)) {
      for (String node : LabDefaults.NODES) {
        put(client, endpoints, node, LabDefaults.configFor(node));
      }
    }
    return 0;
  }

  @Command(name = "set", mixinStandardHelpOptions = true,
      description = "Validates a config and writes it as the lab's JSON, e.g. set worker1 '{\"interval\": 2, \"metrics\": [\"cpu\"]}'.")
  int set(@Mixin ConnectOptions options,
      @Option(names = "--wait", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "" + ConfigWait.DEFAULT_SECONDS,
          description = "Wait until the node's agent applied the config (exit 0, '[Config] NODE applied revision R after "
              + "S s' on stdout) or rejected it (exit 1, '[Config] NODE REJECTED revision R ...: reason' on stderr); exit 1 "
              + "with one line on stderr when it does not answer in SECONDS (1-" + ConfigWait.MAX_SECONDS + ", default "
              + ConfigWait.DEFAULT_SECONDS + "): the node may be dead or run no agent. Reads /monitor/status/NODE.")
      String wait,
      @Parameters(index = "0", paramLabel = "NODE", description = "The node name.") String node,
      @Parameters(index = "1", paramLabel = "JSON", description = "{\"interval\": seconds, \"metrics\": [names], ...}") String json)
      throws Exception {
    NodeConfig config;
    java.time.Duration timeout = null;
    try {
      NodeNames.require(node, "NODE");
      config = NodeConfig.parse(json);
      if (wait != null) {
        timeout = ConfigWait.timeout(wait);
      }
    } catch (NodeConfig.InvalidConfigException e) {
      throw usage("set", "JSON: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      throw usage("set", e.getMessage());
    }
    EtcdEndpoints endpoints = endpoints("set", options);
    try (Client client = EtcdClients.connect(endpoints)) {
      long revision = put(client, endpoints, node, config);
      if (timeout == null) {
        return 0;
      }
      long putAt = System.nanoTime();
      ConfigWait.Outcome outcome = new ConfigWait(client, node).await(revision, putAt, timeout);
      CommandLine set = spec.commandLine().getSubcommands().get("set");
      PrintWriter to = outcome.applied() ? set.getOut() : set.getErr();
      to.println(outcome.line());
      to.flush();
      return outcome.applied() ? 0 : 1;
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true, description = "Prints the config stored for a node.")
  int get(@Mixin ConnectOptions options,
      @Parameters(index = "0", paramLabel = "NODE", description = "The node name.") String node) throws Exception {
    try {
      NodeNames.require(node, "NODE");
    } catch (IllegalArgumentException e) {
      throw usage("get", e.getMessage());
    }
    EtcdEndpoints endpoints = endpoints("get", options);
    GetResponse got;
    try (Client client = EtcdClients.connect(endpoints)) {
      got = EtcdClients.call(client.getKVClient().get(EtcdClients.bytes(Keys.config(node))), endpoints);
    }
    CommandLine get = spec.commandLine().getSubcommands().get("get");
    if (got.getKvs().isEmpty()) {
      get.getErr().println(get.getCommandSpec().qualifiedName() + ": no config at " + Keys.config(node)
          + " (the agent uses the default " + NodeConfig.DEFAULT.repr() + ")");
      get.getErr().flush();
      return 1;
    }
    get.getOut().println(EtcdClients.text(got.getKvs().get(0).getValue()));
    get.getOut().flush();
    return 0;
  }

  private EtcdEndpoints endpoints(String subcommand, ConnectOptions sub) {
    try {
      return sub.resolve(env, connect);
    } catch (IllegalArgumentException e) {
      throw usage(subcommand, e.getMessage());
    }
  }

  /** Bad input to a subcommand, reported against it so the message points to its own --help. */
  private CommandLine.ParameterException usage(String subcommand, String message) {
    return new CommandLine.ParameterException(spec.commandLine().getSubcommands().get(subcommand), message);
  }

  /** Puts the config; returns the revision it was written at. */
  private long put(Client client, EtcdEndpoints endpoints, String node, NodeConfig config) throws Exception {
    String key = Keys.config(node);
    long revision = EtcdClients.call(client.getKVClient().put(EtcdClients.bytes(key), EtcdClients.bytes(config.toJson())),
        endpoints).getHeader().getRevision();
    PrintWriter out = spec.commandLine().getOut();
    out.println("[Config] Set " + key + " = " + config.toJson());
    out.flush();
    return revision;
  }
}
