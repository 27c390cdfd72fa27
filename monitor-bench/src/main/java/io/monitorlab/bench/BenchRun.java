package io.monitorlab.bench;

import io.monitorlab.common.EtcdEndpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every bench command does around its groups: open the context (bad options are exit 2), run
 * the groups, then print the table and write the JSON, also when a group failed half-way.
 */
final class BenchRun {
  /** The groups of one command. */
  interface Body {
    void run(BenchContext ctx) throws Exception;
  }

  private BenchRun() {}

  static int run(CommandSpec spec, CommonOptions common, Map<String, String> env, Body body) throws Exception {
    return run(spec, (c, args) -> c.open(env, args), common, body);
  }

  /** Like {@link #run(CommandSpec, CommonOptions, Map, Body)}, against an etcd the command started itself. */
  static int run(CommandSpec spec, CommonOptions common, EtcdEndpoints endpoints, Body body) throws Exception {
    return run(spec, (c, args) -> c.open(endpoints, args), common, body);
  }

  /** How a command opens its context from the common options and its own arguments. */
  private interface Opener {
    BenchContext open(CommonOptions common, List<String> args) throws IOException, InterruptedException;
  }

  private static int run(CommandSpec spec, Opener opener, CommonOptions common, Body body) throws Exception {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    BenchContext ctx;
    try {
      ctx = opener.open(common, args);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    try (ctx) {
      try {
        body.run(ctx);
      } catch (Exception e) {
        // Show what was measured before the failure; the failure itself is reported by Cli (exit 1).
        ctx.finish(out);
        throw e;
      }
      return ctx.finish(out);
    }
  }
}
