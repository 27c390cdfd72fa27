#!/usr/bin/env bash
# Writes the lab's default config for worker1, worker2 and master into etcd, then reads it back.
#   Option A, ETCD_ENDPOINTS or ETCD_HOST (+ ETCD_PORT) set: the local etcdctl, or, without etcdctl,
#             `monitor-server.jar config init`.
#   Option B, neither set: etcdctl inside the etcd pod: kubectl -n etcd exec etcd-0 -- etcdctl put ...
#             (ETCD_NAMESPACE and ETCD_POD override "etcd" and "etcd-0").
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

NODES=(worker1 worker2 master)
CONFIG_JSON='{"interval": 10, "metrics": ["cpu", "memory", "disk"]}'

[[ $# -eq 0 ]] || usage_error "usage: setup_config.sh (no arguments; set ETCD_ENDPOINTS or ETCD_HOST for a local etcdctl, else kubectl is used)"

endpoints="$(env_endpoints)"

if [[ -n $endpoints ]] && ! have etcdctl; then
  echo "[Setup] etcdctl not found: using monitor-server.jar config init against $endpoints"
  "$REPO/scripts/run_server.sh" config init
  echo "[Setup] Stored config:"
  for node in "${NODES[@]}"; do
    echo "/monitor/config/$node"
    "$REPO/scripts/run_server.sh" config get "$node"
  done
  exit 0
fi

if [[ -n $endpoints ]]; then
  echo "[Setup] Option A: local etcdctl, endpoints $endpoints"
  etcdctl_() { ETCDCTL_API=3 etcdctl --endpoints="$endpoints" "$@"; }
  hint="check that etcd answers: ETCDCTL_API=3 etcdctl --endpoints=$endpoints endpoint health"
else
  namespace="${ETCD_NAMESPACE:-etcd}"
  pod="${ETCD_POD:-etcd-0}"
  have kubectl || die "neither ETCD_ENDPOINTS nor ETCD_HOST is set and kubectl is not installed:" \
    "set ETCD_ENDPOINTS=host:port for a local etcd, or install kubectl for the cluster"
  echo "[Setup] Option B: etcdctl in pod $pod of namespace $namespace"
  etcdctl_() { kubectl -n "$namespace" exec "$pod" -- etcdctl "$@"; }
  hint="check the cluster: kubectl -n $namespace get pods (or set ETCD_ENDPOINTS=host:port for a local etcd)"
fi

for node in "${NODES[@]}"; do
  echo "[Setup] put /monitor/config/$node $CONFIG_JSON"
  etcdctl_ put "/monitor/config/$node" "$CONFIG_JSON" >/dev/null || die "put /monitor/config/$node failed: $hint"
done
echo "[Setup] Stored config:"
for node in "${NODES[@]}"; do
  value="$(etcdctl_ get --print-value-only "/monitor/config/$node")"
  echo "/monitor/config/$node"
  echo "$value"
  [[ $value == "$CONFIG_JSON" ]] || die "/monitor/config/$node reads back as '$value', expected '$CONFIG_JSON'"
done
