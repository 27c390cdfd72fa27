package io.monitorlab.common;

import java.util.List;

/** The configs the lab's setup_config.sh writes: one per lab node, each the default config. */
public final class LabDefaults {
  /** The nodes the lab configures, in the order setup_config.sh writes them. */
  public static final List<String> NODES = List.of("worker1", "worker2", "master");

  private LabDefaults() {}

  /** The config the lab writes for {@code node}. */
  public static NodeConfig configFor(String node) {
    NodeNames.require(node, "node");
    return NodeConfig.DEFAULT;
  }
}
