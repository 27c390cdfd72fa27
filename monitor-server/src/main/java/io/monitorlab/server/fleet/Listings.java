package io.monitorlab.server.fleet;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.Keys;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads every key the fleet model follows in one transaction, so that all of it is at one revision. */
public final class Listings {
  /** The prefixes under {@code /monitor/} that describe nodes. */
  static final List<String> FOLLOWED = List.of(Keys.HEARTBEAT_PREFIX, Keys.NODES_PREFIX, Keys.CONFIG_PREFIX,
      Keys.STATUS_PREFIX, Keys.METRICS_PREFIX);

  private Listings() {}

  /** Starts the read; the caller waits for it with its own timeout. */
  public static CompletableFuture<Listing> read(Client client) {
    GetOption prefix = GetOption.builder().isPrefix(true).build();
    Op[] gets = FOLLOWED.stream().map(p -> Op.get(EtcdClients.bytes(p), prefix)).toArray(Op[]::new);
    return client.getKVClient().txn().Then(gets).commit().thenApply(Listings::listing);
  }

  static boolean followed(String key) {
    for (String p : FOLLOWED) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static Listing listing(TxnResponse got) {
    List<KeyEvent> keys = new ArrayList<>();
    for (GetResponse response : got.getGetResponses()) {
      for (KeyValue kv : response.getKvs()) {
        keys.add(KeyEvent.put(EtcdClients.text(kv.getKey()), EtcdClients.text(kv.getValue()), kv.getModRevision()));
      }
    }
    return new Listing(got.getHeader().getRevision(), keys);
  }
}
