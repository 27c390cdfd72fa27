package io.monitorlab.agent;

import io.monitorlab.common.cli.StopSignal;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Entry point of {@code monitor-agent.jar}. */
public final class AgentMain {
  private AgentMain() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    System.exit(AgentCommand.commandLine(System.getenv(), StopSignal.onTermOrInt()).execute(args));
  }
}
