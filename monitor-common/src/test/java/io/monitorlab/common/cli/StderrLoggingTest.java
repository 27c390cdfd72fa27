package io.monitorlab.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.read.ListAppender;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;

/** {@link StderrLogging} sets up what the applications' logback.xml used to. */
@Timeout(10)
class StderrLoggingTest {

  @Test
  void diagnosticsGoToStderrWithOurPatternAndNothingElseIsConfigured() {
    LoggerContext context = configure(Map.of());

    Appender<ILoggingEvent> appender = root(context).getAppender("STDERR");
    assertThat(appender).isInstanceOf(ConsoleAppender.class);
    ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) appender;
    assertThat(console.getTarget()).isEqualTo("System.err");
    assertThat(console.isStarted()).isTrue();
    assertThat(((PatternLayoutEncoder) console.getEncoder()).getPattern())
        .isEqualTo("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n");
    assertThat(context.getCopyOfListenerList()).hasAtLeastOneElementOfType(LevelChangePropagator.class);
  }

  @Test
  void ourCodeLogsAtInfoTheLibrariesOnlyErrorsAndTheRestWarnings() {
    LoggerContext context = configure(Map.of());

    assertThat(context.getLogger("io.monitorlab.agent.HeartbeatLoop").getEffectiveLevel()).isEqualTo(Level.INFO);
    assertThat(root(context).getLevel()).isEqualTo(Level.WARN);
    for (String library : new String[] {"io.grpc.internal.ManagedChannelImpl", "io.netty.channel", "io.vertx.core",
        "io.etcd.jetcd.impl.LeaseImpl"}) {
      assertThat(context.getLogger(library).getEffectiveLevel()).as(library).isEqualTo(Level.ERROR);
    }
    assertThat(context.getLogger("com.example.Other").getEffectiveLevel()).isEqualTo(Level.WARN);
  }

  @Test
  void monitorLogLevelSetsOurLevelInAnyCase() {
    assertThat(configure(Map.of("MONITOR_LOG_LEVEL", "debug")).getLogger("io.monitorlab").getLevel()).isEqualTo(Level.DEBUG);
    assertThat(configure(Map.of("MONITOR_LOG_LEVEL", " WARN ")).getLogger("io.monitorlab").getLevel()).isEqualTo(Level.WARN);
    assertThat(configure(Map.of("MONITOR_LOG_LEVEL", "")).getLogger("io.monitorlab").getLevel()).isEqualTo(Level.INFO);
  }

  @Test
  void anUnknownLevelIsNamedInOneWarningAndInfoIsUsed() {
    LoggerContext context = new LoggerContext();
    ListAppender<ILoggingEvent> seen = new ListAppender<>();
    seen.setContext(context);
    seen.start();
    root(context).addAppender(seen);
    StderrLogging logging = new StderrLogging(Map.of("MONITOR_LOG_LEVEL", "loud"));
    logging.setContext(context);

    assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

    assertThat(context.getLogger("io.monitorlab").getLevel()).isEqualTo(Level.INFO);
    assertThat(seen.list).singleElement().satisfies(e -> {
      assertThat(e.getLevel()).isEqualTo(Level.WARN);
      assertThat(e.getFormattedMessage())
          .isEqualTo("ignored MONITOR_LOG_LEVEL=loud: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF; logging at INFO");
    });
  }

  private static LoggerContext configure(Map<String, String> env) {
    LoggerContext context = new LoggerContext();
    StderrLogging logging = new StderrLogging(env);
    logging.setContext(context);
    assertThat(logging.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    return context;
  }

  private static ch.qos.logback.classic.Logger root(LoggerContext context) {
    return context.getLogger(Logger.ROOT_LOGGER_NAME);
  }
}
