#!/usr/bin/env python3
"""The lab's heartbeat agent: keeps /monitor/heartbeat/<node> alive in etcd with a TTL lease.

Environment: ETCD_HOST, ETCD_PORT, NODE_NAME (default: the host name). Uses python3-etcd3 0.12.0.
"""
import json
import os
import socket
import time

import etcd3

ETCD_HOST = os.getenv("ETCD_HOST", "etcd-0.etcd-service.etcd.svc.cluster.local")
ETCD_PORT = int(os.getenv("ETCD_PORT", "2379"))
NODE_NAME = os.getenv("NODE_NAME", socket.gethostname())
TTL = 5
KEY = f"/monitor/heartbeat/{NODE_NAME}"


def main():
    client = etcd3.client(host=ETCD_HOST, port=ETCD_PORT)
    lease = client.lease(TTL)
    print(f"[Heartbeat] Lease created with TTL {TTL} seconds, ID: {lease.id}", flush=True)
    print(f"[Heartbeat] Node: {NODE_NAME}, Key: {KEY}", flush=True)
    try:
        while True:
            value = json.dumps({"status": "alive", "ts": time.time(), "hostname": NODE_NAME})
            client.put(KEY, value, lease=lease)
            print(f"[Heartbeat] Sent for {NODE_NAME}", flush=True)
            lease.refresh()
            time.sleep(TTL / 2)
    except KeyboardInterrupt:
        lease.revoke()


if __name__ == "__main__":
    main()
