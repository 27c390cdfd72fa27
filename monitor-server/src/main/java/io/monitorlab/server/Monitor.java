package io.monitorlab.server;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdEndpoints;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monitor process: the header lines, then the heartbeat monitor loop on its own thread.
 * {@link #start()} fails when called twice; {@link #close()} is idempotent. Thread-safe.
 */
final class Monitor implements AutoCloseable {
  private enum State { LATENT, STARTED, CLOSED }

  private static final Logger log = LoggerFactory.getLogger(Monitor.class);

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final EtcdEndpoints endpoints;
  private final MonitorPrinter printer;
  private final Duration statusEvery;
  private final Consumer<Throwable> onCrash;
  private final TransitionLog transitionLog;
  private Client client;
  private HeartbeatMonitor loop;
  private Thread thread;

  Monitor(EtcdEndpoints endpoints, MonitorPrinter printer, Duration statusEvery, TransitionLog transitionLog,
      Consumer<Throwable> onCrash) {
    this.transitionLog = transitionLog;
    this.endpoints = endpoints;
    this.printer = printer;
    this.statusEvery = statusEvery;
    this.onCrash = onCrash;
  }

  synchronized void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("monitor already started or closed");
    }
    printer.header(endpoints);
    client = EtcdClients.connect(endpoints);
    loop = new HeartbeatMonitor(client, endpoints, printer, statusEvery, transitionLog);
    thread = new Thread(loop, "heartbeat-monitor");
    thread.setUncaughtExceptionHandler((t, e) -> onCrash.accept(e));
    thread.start();
    log.info("monitor started endpoints={} source={}", endpoints, endpoints.source());
  }

  @Override
  public synchronized void close() {
    if (state.getAndSet(State.CLOSED) != State.STARTED) {
      return;
    }
    loop.stop();
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    client.close();
    transitionLog.close();
    log.info("monitor stopped");
  }
}
