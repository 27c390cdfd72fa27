package io.monitorlab.common;

import io.grpc.internal.SharedResourceHolder;
import io.netty.channel.EventLoopGroup;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC's netty event loops, shared by every channel of the process. At exit the JVM waits up to 300 ms for
 * each thread that sits in native code (HotSpot's {@code VM_Exit::wait_for_threads_in_native_to_block}),
 * and these loops sit in {@code epoll_wait} between events; gRPC lets them go only a second after its last
 * channel closed. Stopping them once the work is done lets the process end at once.
 */
public final class GrpcEventLoops {
  private static final Logger log = LoggerFactory.getLogger(GrpcEventLoops.class);
  /** Set once a client was built: before that gRPC has no loops, and asking for them would start them. */
  private static volatile boolean used;

  private GrpcEventLoops() {}

  /** Called by {@link EtcdClients#connect}. */
  static void markUsed() {
    used = true;
  }

  /**
   * Shuts the shared loops down and waits at most {@code within} for their threads; true when they ended
   * (or never ran). Only for a process about to exit: any channel still open loses its transport. Best
   * effort: when this gRPC keeps its loops elsewhere nothing is stopped, and the JVM exit only waits.
   */
  public static boolean stopBeforeExit(Duration within) {
    if (!used) {
      return true;
    }
    long millis = Math.max(1, within.toMillis());
    try {
      Field f = Class.forName("io.grpc.netty.Utils").getDeclaredField("DEFAULT_WORKER_EVENT_LOOP_GROUP");
      f.setAccessible(true);
      @SuppressWarnings("unchecked")
      SharedResourceHolder.Resource<EventLoopGroup> shared = (SharedResourceHolder.Resource<EventLoopGroup>) f.get(null);
      EventLoopGroup group = SharedResourceHolder.get(shared);
      group.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
      return group.awaitTermination(millis, TimeUnit.MILLISECONDS);
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("gRPC's shared event loops not found, the exit may wait for them: {}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
