package io.monitorlab.common.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logback's configuration for the agent and the monitor, in code: diagnostics to stderr (stdout
 * carries only the console lines of DESIGN.md), {@code io.monitorlab} at {@code MONITOR_LOG_LEVEL}
 * (default INFO), the libraries' own chatter at ERROR, everything else at WARN.
 *
 * <p>The same settings as a {@code logback.xml} would give, without Logback's XML configurator: that
 * loads Joran and the JDK's XML parser, which cost the agent memory and start-up time (figures in
 * docs/BENCHMARKS.md). Registered through {@code META-INF/services} in each application jar. A
 * {@code logback-test.xml} on the class path or {@code -Dlogback.configurationFile} takes over.
 */
public final class StderrLogging extends ContextAwareBase implements Configurator {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";
  static final String LEVEL_VARIABLE = "MONITOR_LOG_LEVEL";
  private static final String[] QUIET_LIBRARIES = {"io.grpc", "io.netty", "io.vertx", "io.etcd"};

  private final Map<String, String> env;

  /** Used by Logback's service loader. */
  public StderrLogging() {
    this(System.getenv());
  }

  StderrLogging(Map<String, String> env) {
    this.env = env;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (anotherConfigurationIsGiven()) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    // grpc logs through java.util.logging: keep JUL's levels in step so that filtered records are never built.
    LevelChangePropagator julLevels = new LevelChangePropagator();
    julLevels.setContext(context);
    julLevels.setResetJUL(true);
    context.addListener(julLevels);
    julLevels.start();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.setPattern(PATTERN);
    encoder.start();
    ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
    stderr.setContext(context);
    stderr.setName("STDERR");
    stderr.setTarget("System.err");
    stderr.setEncoder(encoder);
    stderr.start();

    ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.WARN);
    root.addAppender(stderr);
    for (String library : QUIET_LIBRARIES) {
      context.getLogger(library).setLevel(Level.ERROR);
    }
    String wanted = env.getOrDefault(LEVEL_VARIABLE, "");
    Level level = wanted.isBlank() ? Level.INFO : parseLevel(wanted);
    context.getLogger("io.monitorlab").setLevel(level == null ? Level.INFO : level);
    if (level == null) {
      context.getLogger(StderrLogging.class).warn("ignored {}={}: expected one of TRACE, DEBUG, INFO, WARN, ERROR, OFF;"
          + " logging at INFO", LEVEL_VARIABLE, wanted);
    }
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean anotherConfigurationIsGiven() {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return System.getProperty("logback.configurationFile") != null
        || loader != null && loader.getResource("logback-test.xml") != null;
  }

  /** The level named (any case), or null when the name is not a level. */
  static Level parseLevel(String name) {
    return switch (name.trim().toUpperCase(Locale.ROOT)) {
      case "TRACE" -> Level.TRACE;
      case "DEBUG" -> Level.DEBUG;
      case "INFO" -> Level.INFO;
      case "WARN", "WARNING" -> Level.WARN;
      case "ERROR" -> Level.ERROR;
      case "OFF" -> Level.OFF;
      default -> null;
    };
  }
}
