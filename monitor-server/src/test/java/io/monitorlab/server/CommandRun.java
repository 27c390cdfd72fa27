package io.monitorlab.server;

import io.monitorlab.common.cli.StopSignal;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** One run of a command that ends by itself (subcommands, bad input), as {@code main} would run it. */
record CommandRun(int exit, List<String> out, List<String> err) {
  static CommandRun of(String... args) {
    return withEnv(Map.of(), args);
  }

  static CommandRun withEnv(Map<String, String> env, String... args) {
    return on(MonitorCommand.commandLine(env, StopSignal.manual()), args);
  }

  static CommandRun on(CommandLine cl, String... args) {
    Capture out = new Capture();
    Capture err = new Capture();
    int exit = cl.setOut(out.printWriter()).setErr(err.printWriter()).execute(args);
    return new CommandRun(exit, out.lines(), err.lines());
  }
}
