package io.monitorlab.common;

import io.etcd.jetcd.Client;
import io.grpc.ManagedChannel;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts short gRPC's reconnect backoff on a jetcd client's channel. After a refused connection gRPC waits
 * 1 s, then 1.6 times longer each time up to 120 s, before it tries that member again, so a member that
 * came back after a 10 s outage is used only seconds later; an agent whose lease expired meanwhile would
 * stay unregistered that long. Our loops retry on their own short, jittered schedule and call
 * {@link #reset} first, so each retry really reaches the network.
 *
 * <p>jetcd 0.8 does not expose its channel; it is read once by reflection. If a jetcd version moves it,
 * {@link #reset} logs one warning and does nothing (gRPC's own backoff then applies). Thread-safe.
 */
public final class ChannelBackoff {
  private static final Logger log = LoggerFactory.getLogger(ChannelBackoff.class);
  private static final AtomicBoolean warned = new AtomicBoolean();
  private static final Field CONNECTION_MANAGER = field("io.etcd.jetcd.impl.ClientImpl", "connectionManager");
  private static final Field CHANNEL = field("io.etcd.jetcd.impl.ClientConnectionManager", "managedChannel");

  private ChannelBackoff() {}

  /** Makes every member in reconnect backoff be tried again now; a no-op for connected or connecting ones. */
  public static void reset(Client client) {
    ManagedChannel channel = channel(client);
    if (channel != null) {
      channel.resetConnectBackoff();
    }
  }

  /** Whether {@link #reset} can reach the channel of this client (false for clients of another jetcd version). */
  public static boolean supported(Client client) {
    return CONNECTION_MANAGER != null && CHANNEL != null && CONNECTION_MANAGER.getDeclaringClass().isInstance(client);
  }

  private static ManagedChannel channel(Client client) {
    if (!supported(client)) {
      if (warned.compareAndSet(false, true)) {
        log.warn("cannot reach the gRPC channel of client={}; reconnecting after an outage follows gRPC's backoff (up to 120 s)",
            client.getClass().getName());
      }
      return null;
    }
    try {
      Object manager = CONNECTION_MANAGER.get(client);
      // Null until the first call: nothing to reset then.
      return manager == null ? null : (ManagedChannel) CHANNEL.get(manager);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("field made accessible but not readable: " + e.getMessage(), e);
    }
  }

  private static Field field(String className, String name) {
    try {
      Field f = Class.forName(className).getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
