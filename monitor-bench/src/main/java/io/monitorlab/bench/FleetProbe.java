package io.monitorlab.bench;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measurements of the monitor taken during a fleet run's steady window, on a thread of their own, so that
 * the window keeps sampling and compacting meanwhile. {@link #NONE} measures nothing.
 */
@FunctionalInterface
interface FleetProbe {
  FleetProbe NONE = (monitor, fleetName) -> { };

  /** Measures {@code monitor} (cold start done) of the fleet whose nodes are named {@code fleetName-<i>}. */
  void run(Child monitor, String fleetName) throws Exception;

  /** Starts {@code probe} on a named daemon thread. */
  static Running start(FleetProbe probe, Child monitor, String fleetName) {
    Running r = new Running(new Thread(() -> {
      try {
        probe.run(monitor, fleetName);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        Running.log.error("fleet probe failed; its figures are missing", e);
      }
    }, "fleet-probe"));
    r.thread.setDaemon(true);
    r.thread.start();
    return r;
  }

  /** A started probe; {@link #close()} interrupts it if it still runs and waits for it briefly. */
  final class Running implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FleetProbe.class);
    private final Thread thread;

    private Running(Thread thread) {
      this.thread = thread;
    }

    /** Waits at most {@code timeout} for the probe to finish. */
    void await(Duration timeout) throws InterruptedException {
      thread.join(Math.max(1, timeout.toMillis()));
      if (thread.isAlive()) {
        log.warn("fleet probe still running after the window and {}s more; stopping it", timeout.toSeconds());
      }
    }

    @Override
    public void close() throws InterruptedException {
      thread.interrupt();
      thread.join(5000);
    }
  }
}
