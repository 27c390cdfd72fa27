package io.monitorlab.agent;

import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.cli.StopSignal;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code monitor-agent}: runs the heartbeat and the config watcher until SIGTERM/SIGINT. */
@Command(name = "monitor-agent", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Keeps this node's heartbeat alive in etcd and applies its config live.",
        "Without a subcommand it runs both parts in one process."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:failure at run time", "2:bad input or usage"})
final class AgentCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(AgentCommand.class);

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin AgentOptions options;

  private final Agent.Parts parts;
  private final Map<String, String> env;
  private final StopSignal stop;

  AgentCommand(Agent.Parts parts, Map<String, String> env, StopSignal stop) {
    this.parts = parts;
    this.env = env;
    this.stop = stop;
  }

  /** The whole command line: {@code monitor-agent [heartbeat|config-watch]}. */
  static CommandLine commandLine(Map<String, String> env, StopSignal stop) {
    CommandLine cl = new CommandLine(new AgentCommand(Agent.Parts.BOTH, env, stop));
    cl.addSubcommand("heartbeat", new CommandLine(new AgentCommand(Agent.Parts.HEARTBEAT, env, stop))
        .setCommandName("heartbeat"));
    cl.addSubcommand("config-watch", new CommandLine(new AgentCommand(Agent.Parts.CONFIG, env, stop))
        .setCommandName("config-watch"));
    cl.getSubcommands().get("heartbeat").getCommandSpec().usageMessage()
        .description("Runs only the heartbeat: a lease-bound key refreshed every TTL/2.");
    cl.getSubcommands().get("config-watch").getCommandSpec().usageMessage()
        .description("Runs only the config watcher and the work loop.");
    return Cli.configure(cl);
  }

  @Override
  public Integer call() throws Exception {
    AgentSettings settings;
    try {
      settings = options.resolve(env);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Agent agent = new Agent(settings, parts, new AgentPrinter(out),
        crash -> stop.request(Cli.onCrash(spec.commandLine(), crash, settings.endpoints(), log, "agent")));
    return stop.runUntilStopped("agent", agent::start, agent);
  }
}
