package io.monitorlab.common.tls;

import io.grpc.netty.GrpcSslContexts;
import io.monitorlab.common.EtcdEndpoints;
import io.monitorlab.common.EtcdSecurity;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.nio.ByteBuffer;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;

/**
 * Starts the JDK's TLS provider and netty's TLS classes on a thread of their own as the process starts, when
 * its command line or environment names TLS, so that this cold work (the provider's start, netty's probe of
 * the JDK's protocols and ciphers, the first client hello's key share) runs on the second core while the main
 * thread reads options and starts logging, instead of after it. A hint, never a decision: whether and how TLS
 * is used is decided by {@link EtcdSecurity} as always, and whatever is wrong is reported there; a wrong guess
 * only costs the warm-up, or gains nothing. The first etcd client waits for it ({@link #await}): the main thread
 * then never initialises netty's classes while the warm-up does, so no class-initialisation deadlock can form.
 */
public final class TlsWarmUp {
  private static final List<String> OPTIONS = List.of("--cacert", "--cert", "--key");
  private static final List<String> VARIABLES =
      List.of(EtcdSecurity.CACERT_VARIABLE, EtcdSecurity.CERT_VARIABLE, EtcdSecurity.KEY_VARIABLE);

  /** The longest {@link #await} waits: the warm-up takes a few hundred ms on a slow machine. */
  private static final long AT_MOST_MS = 5_000;
  private static volatile Thread thread;

  private TlsWarmUp() {}

  /** Starts the warm-up when {@link #named} says TLS is asked for. */
  public static void startIfNamed(String[] args, Map<String, String> env) {
    if (named(args, env)) {
      Thread t = new Thread(TlsWarmUp::warmUp, "tls-warm-up");
      t.setDaemon(true);
      thread = t;
      t.start();
    }
  }

  /** Returns once the warm-up has ended, at once when none was started. */
  public static void await() {
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      t.join(AT_MOST_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether a TLS option, an {@code https://} endpoint or an etcdctl TLS variable is there. */
  static boolean named(String[] args, Map<String, String> env) {
    for (String arg : args) {
      if (arg.contains("https://") || OPTIONS.stream().anyMatch(o -> arg.equals(o) || arg.startsWith(o + "="))) {
        return true;
      }
    }
    if (VARIABLES.stream().map(env::get).anyMatch(v -> v != null && !v.isBlank())) {
      return true;
    }
    String endpoints = env.get(EtcdEndpoints.VARIABLE);
    return endpoints != null && endpoints.contains("https://");
  }

  private static void warmUp() {
    try {
      CertificateFactory.getInstance("X.509");
      KeyFactory.getInstance("EC");
      KeyFactory.getInstance("RSA");
      SslContext context = GrpcSslContexts.forClient().build();
      SSLEngine engine = context.newEngine(UnpooledByteBufAllocator.DEFAULT);
      engine.beginHandshake();
      engine.wrap(ByteBuffer.allocate(0), ByteBuffer.allocate(engine.getSession().getPacketBufferSize()));
    } catch (Exception e) {
      // Nothing to report: the real set-up meets and names any problem.
    }
  }
}
