package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.Keys;
import io.monitorlab.common.NodeNames;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code monitor-server forget NODE}: a decommissioned node is no longer expected, so its absence is not reported. */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = {"Forgets a decommissioned node, so that its absence is no longer reported.",
        "Removes /monitor/nodes/<node>: a monitor then no longer reports the node DEAD when it has no heartbeat,",
        "and drops it from its view. A running agent of that name registers it again."})
final class ForgetCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  @Parameters(index = "0", paramLabel = "NODE", description = "The node name.")
  String node;

  private final Map<String, String> env;

  ForgetCommand(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public Integer call() throws Exception {
    EtcdEndpoints endpoints;
    try {
      NodeNames.require(node, "NODE");
      endpoints = connect.resolve(env);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try (Client client = EtcdClients.connect(endpoints)) {
      long deleted = EtcdClients.call(client.getKVClient().delete(EtcdClients.bytes(Keys.registration(node))), endpoints)
          .getDeleted();
      new MonitorPrinter(spec.commandLine().getOut()).forgot(node, deleted > 0);
      return 0;
    }
  }
}
