package io.monitorlab.agent;

import io.etcd.jetcd.Client;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import io.monitorlab.common.Registration;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code /monitor/nodes/<node>}: the node as expected by the monitor. It outlives the lease, so a later
 * death is reported even to a monitor that was down. This class is thread-safe.
 */
final class RegistrationKey {
  private RegistrationKey() {}

  static void put(Client client, String node, Registration registration, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    client.getKVClient().put(EtcdClients.bytes(Keys.registration(node)), EtcdClients.bytes(registration.toJson()))
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
