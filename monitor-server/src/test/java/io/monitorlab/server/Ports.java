package io.monitorlab.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Loopback ports for tests. */
final class Ports {
  private Ports() {}

  /** A loopback port nothing listens on (it was free a moment ago): an etcd that is down. */
  static int closed() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
