package io.monitorlab.common.cli;

import io.monitorlab.common.AccessErrors;
import io.monitorlab.common.EtcdAccessException;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.EtcdUnreachableException;
import io.monitorlab.common.GrpcEventLoops;
import io.monitorlab.common.OneLine;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;

/**
 * Error handling shared by the command-line tools: bad input is one line on stderr and exit 2, a
 * failure at run time is one line and exit 1, never a stack trace. Thread-safe.
 */
public final class Cli {
  public static final int OK = 0;
  public static final int FAILURE = 1;
  public static final int USAGE = 2;

  /** How long the exit waits at most for gRPC's event loops to end (they end in a few ms). */
  private static final Duration LOOPS_WITHIN = Duration.ofMillis(200);

  private Cli() {}

  /**
   * Ends the process with {@code code} once its command returned. gRPC's idle event loops are stopped
   * first: the JVM would otherwise wait 300 ms for them at exit ({@link GrpcEventLoops}).
   */
  public static void exit(int code) {
    GrpcEventLoops.stopBeforeExit(LOOPS_WITHIN);
    System.exit(code);
  }

  /** Installs the one-line handlers on {@code cl} and its subcommands. */
  public static CommandLine configure(CommandLine cl) {
    cl.setParameterExceptionHandler(Cli::onBadInput);
    cl.setExecutionExceptionHandler(Cli::onFailure);
    return cl;
  }

  /**
   * Reports a crash of a long-running loop and returns the exit code: an access problem (TLS, credentials,
   * permission) is one line on stderr and 2; anything else is logged with its stack trace and 1.
   */
  public static int onCrash(CommandLine cl, Throwable crash, EtcdEndpoints endpoints, org.slf4j.Logger log, String what) {
    String access = AccessErrors.describe(crash, endpoints);
    if (access == null) {
      log.error("{} failed, exiting error=\"{}\"", what, crash.getMessage(), crash);
      return FAILURE;
    }
    log.error("{} cannot work with etcd, exiting: {}", what, oneLine(access));
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(access));
    err.flush();
    return USAGE;
  }

  private static int onBadInput(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage())
        + " (see " + cl.getCommandSpec().qualifiedName() + " --help)");
    err.flush();
    return USAGE;
  }

  private static int onFailure(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    if (e instanceof IllegalArgumentException) {
      err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage())
          + " (see " + cl.getCommandSpec().qualifiedName() + " --help)");
      err.flush();
      return USAGE;
    }
    if (e instanceof EtcdAccessException) {
      err.println(cl.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()));
      err.flush();
      return USAGE;
    }
    String why = oneLine(EtcdErrors.describe(e));
    if (e instanceof EtcdUnreachableException) {
      why = oneLine(e.getMessage());
    } else if (EtcdErrors.isTransient(e)) {
      why = "cannot reach etcd (" + why + "): check that etcd runs at the endpoints of --endpoints, "
          + "ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, and that they are right";
    }
    err.println(cl.getCommandSpec().qualifiedName() + ": " + why);
    err.flush();
    return FAILURE;
  }

  private static String oneLine(String s) {
    return s == null ? "unknown error" : OneLine.of(s.replace('\n', ' ').replace('\r', ' ').trim());
  }
}
