#!/usr/bin/env python3
"""The lab's config agent: loads /monitor/config/<node> as JSON, applies updates live, and works.

Environment: ETCD_HOST, ETCD_PORT, NODE_NAME (default: the host name). Uses python3-etcd3 0.12.0.
"""
import json
import os
import socket
import threading
import time

import etcd3
import etcd3.events

ETCD_HOST = os.getenv("ETCD_HOST", "etcd-0.etcd-service.etcd.svc.cluster.local")
ETCD_PORT = int(os.getenv("ETCD_PORT", "2379"))
NODE_NAME = os.getenv("NODE_NAME", socket.gethostname())
KEY = f"/monitor/config/{NODE_NAME}"
DEFAULT_CONFIG = {"interval": 10, "metrics": ["cpu", "memory", "disk"]}

config = {}


def load_config(client):
    value, _meta = client.get(KEY)
    if value is None:
        print(f"[Config] No config found at {KEY}, using default: {DEFAULT_CONFIG}", flush=True)
        return dict(DEFAULT_CONFIG)
    return json.loads(value.decode("utf-8"))


def watch_config(events):
    for event in events:
        if isinstance(event, etcd3.events.PutEvent):
            try:
                new_config = json.loads(event.value.decode("utf-8"))
            except ValueError as e:
                print(f"[Config] Invalid JSON at {KEY}, keeping current config: {e}", flush=True)
                continue
            config.clear()
            config.update(new_config)
            print(f"[Config] UPDATED config from etcd: {new_config}", flush=True)


def main():
    print(f"[Agent] Starting config watcher for node: {NODE_NAME}", flush=True)
    print(f"[Agent] Config key: {KEY}", flush=True)
    client = etcd3.client(host=ETCD_HOST, port=ETCD_PORT)
    # The watch is registered before the read, so no update between the two is missed.
    events, _cancel = client.watch(KEY)
    config.update(load_config(client))
    print(f"[Agent] Loaded initial config: {config}", flush=True)
    threading.Thread(target=watch_config, args=(events,), daemon=True).start()
    iteration = 0
    while True:
        iteration += 1
        print(f"[Agent] Iteration {iteration}: interval={config['interval']}s, metrics={config['metrics']}", flush=True)
        time.sleep(config["interval"])


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
