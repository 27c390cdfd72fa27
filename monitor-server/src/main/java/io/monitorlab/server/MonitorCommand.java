package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.cli.Setting;
import io.monitorlab.common.cli.StopSignal;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.web.HttpAddress;
import io.monitorlab.server.web.HttpOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code monitor-server}: runs the heartbeat monitor until SIGTERM/SIGINT; subcommands for operators. */
@Command(name = "monitor-server", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Watches /monitor/heartbeat/ in etcd and reports which nodes are ALIVE, DEAD or LEFT.",
        "Subcommands manage node configs and show the fleet once."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:failure at run time", "2:bad input or usage"})
final class MonitorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  @Option(names = "--status-every", paramLabel = "SECONDS",
      description = "Seconds between two periodic [Status] pairs, " + MonitorSettings.MIN_STATUS_EVERY_S + "-"
          + MonitorSettings.MAX_STATUS_EVERY_S + " [env STATUS_EVERY, default: 10].")
  String statusEvery;

  @Option(names = "--transition-log", paramLabel = "FILE",
      description = "Append every transition to FILE as a JSON line (node, state, reason, revision, time) [env TRANSITION_LOG].")
  String transitionLogPath;

  @Option(names = "--http", paramLabel = "[HOST:]PORT",
      description = "Serve the dashboard, the API (/api/v1/...) and Prometheus /metrics there; 0 as the port takes any free "
          + "one; off disables [env MONITOR_HTTP, default: " + HttpAddress.DEFAULT + "].")
  String http;

  private final Map<String, String> env;
  private final StopSignal stop;

  MonitorCommand(Map<String, String> env, StopSignal stop) {
    this.env = env;
    this.stop = stop;
  }

  static CommandLine commandLine(Map<String, String> env, StopSignal stop) {
    CommandLine cl = new CommandLine(new MonitorCommand(env, stop));
    cl.addSubcommand("config", ConfigCommand.commandLine(env));
    cl.addSubcommand("status", new CommandLine(new StatusCommand(env)));
    cl.addSubcommand("forget", new CommandLine(new ForgetCommand(env)));
    cl.addSubcommand("access", new CommandLine(new AccessCommand(env)));
    return Cli.configure(cl);
  }

  @Override
  public Integer call() throws Exception {
    MonitorSettings settings;
    TransitionLog transitions = null;
    HttpOutput httpOutput = null;
    try {
      EtcdEndpoints endpoints = connect.resolve(env);
      Setting logPath = Setting.of(transitionLogPath, "--transition-log", env, "TRANSITION_LOG");
      Setting httpSetting = Setting.of(http, "--http", env, "MONITOR_HTTP");
      settings = new MonitorSettings(endpoints,
          MonitorSettings.statusEvery(Setting.of(statusEvery, "--status-every", env, "STATUS_EVERY")),
          MonitorSettings.transitionLog(logPath), HttpAddress.parse(httpSetting));
      if (settings.transitionLog().isPresent()) {
        transitions = TransitionLog.open(settings.transitionLog().get(), logPath.source());
      }
      if (settings.http().isPresent()) {
        httpOutput = HttpOutput.start(settings.http().get(), httpSetting.source(), Version.number());
      }
    } catch (IllegalArgumentException e) {
      if (transitions != null) {
        transitions.close();
      }
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    MonitorPrinter printer = new MonitorPrinter(spec.commandLine().getOut());
    List<FleetSink> sinks = new ArrayList<>(List.of(new ConsoleSink(printer, settings.statusEvery()), new LogSink()));
    if (transitions != null) {
      sinks.add(transitions);
    }
    if (httpOutput != null) {
      sinks.add(httpOutput.sink());
    }
    MonitorSettings resolved = settings;
    Monitor monitor = new Monitor(settings, printer, sinks, Optional.ofNullable(httpOutput),
        crash -> stop.request(Cli.onCrash(spec.commandLine(), crash, resolved.endpoints(), log, "monitor")));
    return stop.runUntilStopped("monitor", monitor::start, monitor);
  }
}
