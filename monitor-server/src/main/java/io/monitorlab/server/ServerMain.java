package io.monitorlab.server;

import io.monitorlab.common.cli.StopSignal;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of {@code monitor-server.jar}. */
public final class ServerMain {
  private ServerMain() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(MonitorCommand.commandLine(System.getenv(), StopSignal.onTermOrInt()).execute(args));
  }
}
