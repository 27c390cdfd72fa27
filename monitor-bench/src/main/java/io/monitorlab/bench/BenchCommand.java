package io.monitorlab.bench;

import io.monitorlab.common.cli.Cli;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

/** {@code monitor-bench}: one subcommand per group of figures. */
@Command(name = "monitor-bench", mixinStandardHelpOptions = true, versionProvider = BenchCommand.Version.class,
    description = {"Benchmarks the fleet monitor against its speed and size goals.",
        "%nRuns real agent and monitor processes and simulated agents, prints a table (median, p99 and max "
            + "over all trials of all runs) and writes the same as JSON. Needs an etcd: --endpoints or "
            + "ETCD_ENDPOINTS (scripts/bench.sh starts a local one). It writes only keys "
            + "/monitor/{heartbeat,config,metrics,status}/bench-* and removes them when done; use a test "
            + "etcd: the monitors it starts report every node there.%n"},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:every figure met its goal", "1:failure at run time", "2:bad input or usage",
        "3:measured, and at least one figure missed its goal"})
final class BenchCommand implements Callable<Integer> {
  static final int GOAL_MISSED = 3;

  @Spec CommandLine.Model.CommandSpec spec;

  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cl = new CommandLine(new BenchCommand());
    cl.addSubcommand("detect", new DetectCommand(env));
    cl.addSubcommand("config", new ConfigCommand(env));
    cl.addSubcommand("fleet", new FleetCommand(env));
    cl.addSubcommand("footprint", new FootprintCommand(env));
    cl.addSubcommand("http", new HttpCommand(env));
    cl.addSubcommand("agent-metrics", new AgentMetricsCommand(env));
    cl.addSubcommand("tls", new TlsCommand());
    cl.addSubcommand("all", new AllCommand(env));
    return Cli.configure(cl);
  }

  @Override
  public Integer call() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: expected one of detect, config, fleet, footprint, http, agent-metrics, tls, all");
  }

  static String version() {
    String v = BenchCommand.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"monitor-bench " + version()};
    }
  }
}
