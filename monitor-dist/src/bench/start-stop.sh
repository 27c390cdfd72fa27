#!/usr/bin/env bash
# Start and stop of the agent through its real wrappers, against a local 1-member etcd:
#   start -> heartbeat key visible (an `etcdctl watch` started beforehand sees the put) and
#   SIGTERM -> process gone (the wrapper execs java, so the pid is the JVM's), with LEFT announced.
#   monitor-dist/src/bench/start-stop.sh [run_agent|deb|tarball] [RUNS]    (default: all three, 5 runs)
# run_agent: scripts/run_agent.sh; deb: /usr/bin/monitor-agent of the .deb installed into a scratch root
# (dpkg --root, maintainer scripts run); tarball: bin/monitor-agent of the unpacked tarball after bin/setup.
# Prints the median and every run per wrapper. Needs the jars and `mvn -f monitor-dist/pom.xml package`.
set -euo pipefail
REPO="$(cd "${BASH_SOURCE[0]%/*}/../../.." && pwd)"
TARGET="$REPO/monitor-dist/target"
RUNS="${2:-5}"
PORT="${START_STOP_ETCD_PORT:-17379}"
work="$(mktemp -d)"
cleanup() {
  LOCAL_ETCD_DIR="$work/etcd" LOCAL_ETCD_BASE_PORT="$PORT" "$REPO/scripts/local-etcd.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$(LOCAL_ETCD_DIR="$work/etcd" LOCAL_ETCD_BASE_PORT="$PORT" "$REPO/scripts/local-etcd.sh" start 1)"
export ETCD_ENDPOINTS ETCDCTL_API=3

wrapper_of() {
  case "$1" in
    run_agent) echo "$REPO/scripts/run_agent.sh" ;;
    deb)
      local root="$work/root"
      mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/var/log"
      touch "$root/var/lib/dpkg/status"
      dpkg --root="$root" --log="$root/var/log/dpkg.log" --force-script-chrootless --force-depends --force-not-root \
        -i "$TARGET"/etcd-monitor-agent_*_all.deb >&2
      echo "$root/usr/bin/monitor-agent" ;;
    tarball)
      tar -xzf "$TARGET"/etcd-monitor-*.tar.gz -C "$work"
      local home
      home="$(echo "$work"/etcd-monitor-*)"
      "$home/bin/setup" >&2
      echo "$home/bin/monitor-agent" ;;
    *) echo "start-stop.sh: unknown wrapper '$1': run_agent, deb or tarball" >&2; exit 2 ;;
  esac
}

now_ms() {
  local t
  t="$(date +%s%N)"
  echo $((t / 1000000))
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

measure() {
  local kind="$1" wrapper node seen t0 t1 t2 pid watcher starts=() stops=()
  wrapper="$(wrapper_of "$kind")"
  # The deb's wrapper finds its files under the scratch root.
  [[ $kind != deb ]] || export ETCD_MONITOR_ROOT="$work/root"
  for run in $(seq "$RUNS"); do
    node="start-stop-$kind-$run"
    seen="$work/$node.seen"
    : >"$seen"
    etcdctl --endpoints "$ETCD_ENDPOINTS" watch "/monitor/heartbeat/$node" 2>/dev/null |
      while read -r _; do now_ms >>"$seen"; done &
    watcher=$!
    sleep 0.3 # the watch is open before the agent starts
    t0="$(now_ms)"
    NODE_NAME="$node" "$wrapper" >"$work/$node.out" 2>&1 &
    pid=$!
    until [[ -s $seen ]]; do sleep 0.002; done
    t1="$(head -1 "$seen")"
    sleep 1
    t2="$(now_ms)"
    kill -TERM "$pid"
    wait "$pid" || true
    starts+=($((t1 - t0)))
    stops+=($(($(now_ms) - t2)))
    grep -q '\[Heartbeat\]' "$work/$node.out" || echo "start-stop.sh: $kind run $run printed no heartbeat line" >&2
    kill "$watcher" 2>/dev/null || true
    pkill -P "$watcher" 2>/dev/null || true
  done
  echo "$kind: start -> key visible median $(printf '%s\n' "${starts[@]}" | median) ms (runs: ${starts[*]});" \
    "SIGTERM -> gone median $(printf '%s\n' "${stops[@]}" | median) ms (runs: ${stops[*]})"
}

for kind in ${1:-run_agent deb tarball}; do
  measure "$kind"
done
