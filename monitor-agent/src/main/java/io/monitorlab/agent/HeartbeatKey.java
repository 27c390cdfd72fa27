package io.monitorlab.agent;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.EtcdErrors;
import io.monitorlab.common.Heartbeat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's heartbeat key, written only while this agent owns it: every write is a transaction
 * that succeeds only if the key is absent or still holds the value this agent wrote last. Another
 * agent's key (a duplicate node name) is never overwritten, so two claimants cannot flip-flop it.
 * Used from the heartbeat loop's thread only.
 */
final class HeartbeatKey {
  enum Outcome { WRITTEN, HELD_BY_OTHER, LEASE_GONE }

  /** Who holds the key when it is not this agent. */
  record Holder(long lease, String value) {}

  private static final int REMEMBERED_LEASES = 8;

  private final Client client;
  private final ByteSequence key;
  private final Deque<Long> ownLeases = new ArrayDeque<>();
  private ByteSequence lastWritten;
  private Holder holder;
  private long revision;

  HeartbeatKey(Client client, String key) {
    this.client = client;
    this.key = EtcdClients.bytes(key);
  }

  /** Writes {@code hb} with {@code lease} if the key is absent or ours; else reports its holder. */
  Outcome write(long lease, Heartbeat hb, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    remember(lease);
    ByteSequence value = EtcdClients.bytes(hb.toJson());
    Cmp ours = lastWritten == null
        ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0))
        : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(lastWritten));
    TxnResponse r = txn(ours, lease, value, timeout);
    if (!r.isSucceeded()) {
      KeyValue current = r.getGetResponses().get(0).getKvs().stream().findFirst().orElse(null);
      Cmp next;
      if (current == null) {
        next = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0));
      } else if (current.getLease() == 0 || ownLeases.contains(current.getLease())) {
        // Written by this process under an older lease, or by hand without a lease: take it over.
        next = new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(current.getModRevision()));
      } else {
        holder = new Holder(current.getLease(), EtcdClients.text(current.getValue()));
        lastWritten = null;
        revision = r.getHeader().getRevision();
        return Outcome.HELD_BY_OTHER;
      }
      r = txn(next, lease, value, timeout);
      if (!r.isSucceeded()) {
        // Changed again between the two steps: someone else is writing it.
        KeyValue now = r.getGetResponses().get(0).getKvs().stream().findFirst().orElse(null);
        holder = now == null ? new Holder(0, "") : new Holder(now.getLease(), EtcdClients.text(now.getValue()));
        lastWritten = null;
        revision = r.getHeader().getRevision();
        return Outcome.HELD_BY_OTHER;
      }
    }
    lastWritten = value;
    holder = null;
    revision = r.getHeader().getRevision();
    return Outcome.WRITTEN;
  }

  /** Like {@link #write}, but maps a vanished lease to {@link Outcome#LEASE_GONE}. */
  Outcome tryWrite(long lease, Heartbeat hb, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
    try {
      return write(lease, hb, timeout);
    } catch (ExecutionException e) {
      if (EtcdErrors.isLeaseNotFound(e)) {
        return Outcome.LEASE_GONE;
      }
      throw e;
    }
  }

  /** Whether the last write was ours and nothing is known to have replaced it. */
  boolean isOwned() {
    return lastWritten != null;
  }

  /** Forgets ownership, e.g. after the key was seen deleted. */
  void markGone() {
    lastWritten = null;
  }

  /** Whether {@code value} is the value this agent wrote last. */
  boolean isOurs(ByteSequence value) {
    return lastWritten != null && lastWritten.equals(value);
  }

  Holder holder() {
    return holder;
  }

  /** The etcd revision after the last transaction. */
  long revision() {
    return revision;
  }

  private TxnResponse txn(Cmp cmp, long lease, ByteSequence value, Duration timeout)
      throws ExecutionException, TimeoutException, InterruptedException {
    return client.getKVClient().txn()
        .If(cmp)
        .Then(Op.put(key, value, PutOption.builder().withLeaseId(lease).build()))
        .Else(Op.get(key, GetOption.DEFAULT))
        .commit()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void remember(long lease) {
    if (!ownLeases.contains(lease)) {
      ownLeases.addFirst(lease);
      while (ownLeases.size() > REMEMBERED_LEASES) {
        ownLeases.removeLast();
      }
    }
  }
}
