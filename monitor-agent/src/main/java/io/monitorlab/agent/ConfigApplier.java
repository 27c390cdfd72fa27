package io.monitorlab.agent;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.watch.WatchEvent;
import io.monitorlab.common.EtcdClients;
import io.monitorlab.common.NodeConfig;

/**
 * Turns what etcd holds at the config key into the config in force: a valid value is applied, an
 * invalid one is rejected with its revision and reason (the last good config stays), a deleted key
 * keeps the last good config. Changes already applied (by revision) are not applied twice.
 * Used from the config watcher's thread only.
 */
final class ConfigApplier {
  /** Told of every config applied (its revision; 0 for the default) and rejected. */
  interface Listener {
    void applied(long revision);

    void rejected(long revision, String reason);

    Listener NONE = new Listener() {
      @Override
      public void applied(long revision) {}

      @Override
      public void rejected(long revision, String reason) {}
    };
  }

  private final String key;
  private final ConfigState state;
  private final AgentPrinter printer;
  private final Listener listener;
  private boolean loaded;
  /** Mod revision of the value last seen at the key; 0 when the key was absent. */
  private long seenModRevision;

  ConfigApplier(String key, ConfigState state, AgentPrinter printer) {
    this(key, state, printer, Listener.NONE);
  }

  ConfigApplier(String key, ConfigState state, AgentPrinter printer, Listener listener) {
    this.key = key;
    this.state = state;
    this.printer = printer;
    this.listener = listener;
  }

  /** Applies what a fresh Get returned: the initial load, or a catch-up after the watch broke. */
  void catchUp(KeyValue kv, long revision) {
    if (!loaded) {
      loadInitial(kv);
      loaded = true;
      state.markLoaded();
      return;
    }
    if (kv == null) {
      if (seenModRevision != 0) {
        deleted(revision);
      }
    } else if (kv.getModRevision() != seenModRevision) {
      put(kv);
    }
  }

  /** Applies one watched event, in revision order. */
  void apply(WatchEvent event) {
    KeyValue kv = event.getKeyValue();
    if (event.getEventType() == WatchEvent.EventType.PUT) {
      if (kv.getModRevision() > seenModRevision) {
        put(kv);
      }
    } else if (event.getEventType() == WatchEvent.EventType.DELETE && seenModRevision != 0) {
      deleted(kv.getModRevision());
    }
  }

  private void loadInitial(KeyValue kv) {
    if (kv == null) {
      printer.noConfig(key, NodeConfig.DEFAULT);
      state.install(NodeConfig.DEFAULT);
      listener.applied(0);
    } else {
      seenModRevision = kv.getModRevision();
      try {
        state.install(NodeConfig.parse(EtcdClients.text(kv.getValue())));
        listener.applied(kv.getModRevision());
      } catch (NodeConfig.InvalidConfigException e) {
        printer.rejected(kv.getModRevision(), e.getMessage(), NodeConfig.DEFAULT);
        state.install(NodeConfig.DEFAULT);
        listener.rejected(kv.getModRevision(), e.getMessage());
      }
    }
    printer.initialConfig(state.current().config());
  }

  private void put(KeyValue kv) {
    seenModRevision = kv.getModRevision();
    try {
      NodeConfig config = NodeConfig.parse(EtcdClients.text(kv.getValue()));
      state.install(config);
      printer.updated(config);
      listener.applied(kv.getModRevision());
    } catch (NodeConfig.InvalidConfigException e) {
      printer.rejected(kv.getModRevision(), e.getMessage(), state.current().config());
      listener.rejected(kv.getModRevision(), e.getMessage());
    }
  }

  private void deleted(long revision) {
    seenModRevision = 0;
    printer.deleted(revision, state.current().config());
  }
}
