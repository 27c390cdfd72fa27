package io.monitorlab.server;

import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.cli.StopSignal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
        "Subcommands manage node configs and show the alive nodes once."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by SIGTERM/SIGINT", "1:failure at run time", "2:bad input or usage"})
final class MonitorCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(MonitorCommand.class);

  @Spec CommandLine.Model.CommandSpec spec;
  @Mixin ConnectOptions connect;

  @Option(names = "--status-every", paramLabel = "SECONDS",
      description = "Seconds between two periodic [Status] pairs, 1-3600 [env STATUS_EVERY, default: 10].")
  String statusEvery;

  @Option(names = "--transition-log", paramLabel = "FILE",
      description = "Append every transition to FILE as a JSON line (node, state, reason, revision, time) [env TRANSITION_LOG].")
  String transitionLogPath;

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
    return Cli.configure(cl);
  }

  @Override
  public Integer call() throws Exception {
    EtcdEndpoints endpoints;
    Duration every;
    TransitionLog transitions;
    try {
      endpoints = connect.resolve(env);
      every = statusEvery(statusEvery != null ? statusEvery : env.get("STATUS_EVERY"),
          statusEvery != null ? "--status-every" : "STATUS_EVERY");
      String logPath = transitionLogPath != null ? transitionLogPath : env.get("TRANSITION_LOG");
      transitions = logPath == null || logPath.isBlank() ? TransitionLog.none()
          : TransitionLog.open(Path.of(logPath), transitionLogPath != null ? "--transition-log" : "TRANSITION_LOG", Clock.systemUTC());
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Monitor monitor = new Monitor(endpoints, new MonitorPrinter(spec.commandLine().getOut()), every, transitions, crash -> {
      log.error("monitor failed, exiting error=\"{}\"", crash.getMessage(), crash);
      stop.request(Cli.FAILURE);
    });
    return stop.runUntilStopped("monitor", monitor::start, monitor);
  }

  private static Duration statusEvery(String text, String source) {
    if (text == null) {
      return Duration.ofSeconds(10);
    }
    try {
      long s = Long.parseLong(text.trim());
      if (s >= 1 && s <= 3600) {
        return Duration.ofSeconds(s);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(source + ": invalid value \"" + text + "\": expected whole seconds from 1 to 3600");
  }
}
