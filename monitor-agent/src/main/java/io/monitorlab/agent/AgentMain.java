package io.monitorlab.agent;

import io.monitorlab.common.cli.Cli;
import io.monitorlab.common.cli.StopSignal;
import io.monitorlab.common.tls.JvmTrustStore;
import io.monitorlab.common.tls.TlsWarmUp;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of {@code monitor-agent.jar}. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    JvmTrustStore.skipWhenCaGiven(args, System.getenv());
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    // Logging is set up on this thread first: netty's loggers on the warm-up thread during SLF4J's set-up
    // would make SLF4J print a warning about replayed calls on stderr (a warm-up of the JDK's part alone,
    // started before this, made SLF4J print it too).
    LoggerFactory.getILoggerFactory();
    TlsWarmUp.startIfNamed(args, System.getenv());
    // The console lines are UTF-8 whatever the locale, as Python 3 writes them (LANG=C would give '?').
    Cli.exit(AgentCommand.commandLine(System.getenv(), StopSignal.onTermOrInt())
        .setOut(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true))
        .setErr(new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true))
        .execute(args));
  }
}
