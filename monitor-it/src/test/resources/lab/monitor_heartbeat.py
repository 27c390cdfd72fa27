#!/usr/bin/env python3
"""The lab's monitor: watches /monitor/heartbeat/ and reports which nodes are ALIVE or DEAD.

Environment: ETCD_HOST, ETCD_PORT. Uses python3-etcd3 0.12.0.
"""
import os
import threading
import time

import etcd3
import etcd3.events

ETCD_HOST = os.getenv("ETCD_HOST", "etcd-0.etcd-service.etcd.svc.cluster.local")
ETCD_PORT = int(os.getenv("ETCD_PORT", "2379"))
PREFIX = "/monitor/heartbeat/"
STATUS_EVERY = 10

alive = {}
lock = threading.Lock()


def print_status():
    nodes = sorted(alive)
    print(f"[Status] Currently ALIVE nodes: {nodes}", flush=True)
    print(f"[Status] Total alive: {len(nodes)}", flush=True)


def node_of(key):
    return key.decode("utf-8")[len(PREFIX):]


def on_put(node, value):
    if node not in alive:
        print(f"[+] Node {node} ALIVE -> {value}", flush=True)
        alive[node] = value
        print_status()
    else:
        alive[node] = value


def on_delete(node):
    if alive.pop(node, None) is not None:
        print(f"[-] Node {node} DEAD (lease expired)", flush=True)
        print_status()


def watch_heartbeats(events):
    for event in events:
        with lock:
            if isinstance(event, etcd3.events.PutEvent):
                on_put(node_of(event.key), event.value.decode("utf-8"))
            elif isinstance(event, etcd3.events.DeleteEvent):
                on_delete(node_of(event.key))


def main():
    print("[Monitor] Starting heartbeat monitor...", flush=True)
    print(f"[Monitor] Watching prefix: {PREFIX}", flush=True)
    print(f"[Monitor] etcd endpoint: {ETCD_HOST}:{ETCD_PORT}", flush=True)
    client = etcd3.client(host=ETCD_HOST, port=ETCD_PORT)
    # The watch is registered before the listing, so nothing between the two is missed.
    events, _cancel = client.watch_prefix(PREFIX)
    with lock:
        for value, meta in client.get_prefix(PREFIX):
            on_put(node_of(meta.key), value.decode("utf-8"))
        print_status()
    threading.Thread(target=watch_heartbeats, args=(events,), daemon=True).start()
    while True:
        time.sleep(STATUS_EVERY)
        with lock:
            print_status()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
