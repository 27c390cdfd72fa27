package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.server.fleet.FleetEvent;
import io.monitorlab.server.fleet.FleetSink;
import io.monitorlab.server.fleet.FleetWatch;
import io.monitorlab.server.fleet.SinkRunner;
import io.monitorlab.server.web.HttpOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor process: the header lines, the fleet loop on its own thread and each output on a thread
 * of its own. {@link #start()} fails when called twice; {@link #close()} is idempotent and returns
 * within {@link #CLOSE_WITHIN}: the loop is stopped first, then the outputs drain what it said.
 * Thread-safe.
 */
final class Monitor implements AutoCloseable {
  private enum State { LATENT, STARTED, CLOSED }

  /** One deadline for the whole shutdown, shared by its steps. */
  static final Duration CLOSE_WITHIN = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final MonitorSettings settings;
  private final MonitorPrinter printer;
  private final List<FleetSink> sinks;
  private final Consumer<Throwable> onCrash;
  private final Optional<HttpOutput> http;
  private final List<SinkRunner> runners = new ArrayList<>();
  private Client client;
  private FleetWatch loop;
  private Thread thread;

  Monitor(MonitorSettings settings, MonitorPrinter printer, List<FleetSink> sinks, Optional<HttpOutput> http,
      Consumer<Throwable> onCrash) {
    this.settings = settings;
    this.http = http;
    this.printer = printer;
    this.sinks = List.copyOf(sinks);
    this.onCrash = onCrash;
  }

  synchronized void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("monitor already started or closed");
    }
    printer.header(settings.endpoints());
    http.ifPresent(h -> printer.http(h.address()));
    for (FleetSink sink : sinks) {
      runners.add(new SinkRunner(sink).start());
    }
    client = EtcdClients.connect(settings.endpoints());
    loop = new FleetWatch(client, settings.endpoints(), this::publish);
    thread = new Thread(loop, "fleet-watch");
    thread.setUncaughtExceptionHandler((t, e) -> onCrash.accept(e));
    thread.start();
    log.info("monitor started endpoints={} source={} as=\"{}\"", settings.endpoints().urls(), settings.endpoints().source(),
        settings.endpoints().security().identity());
  }

  private void publish(List<FleetEvent> events) {
    for (SinkRunner r : runners) {
      r.offer(events);
    }
  }

  @Override
  public synchronized void close() {
    if (state.getAndSet(State.CLOSED) != State.STARTED) {
      return;
    }
    long deadline = System.nanoTime() + CLOSE_WITHIN.toNanos();
    loop.stop();
    thread.interrupt();
    try {
      // Half of the time for the loop; the outputs then drain what it said, within the rest.
      thread.join(Math.max(1, CLOSE_WITHIN.toMillis() / 2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("fleet loop did not stop in time");
    }
    client.close();
    for (SinkRunner r : runners) {
      r.close(deadline);
    }
    http.ifPresent(h -> h.close(deadline));
    log.info("monitor stopped");
  }
}
