#!/usr/bin/env bash
# Start and stop of the agent through its real wrappers, against a local 1-member etcd:
#   start -> heartbeat key visible (an `etcdctl watch` opened beforehand sees the put) and
#   SIGTERM -> process gone (the wrapper execs java, so the pid is the JVM's), with LEFT announced.
#   monitor-dist/src/bench/start-stop.sh ["KIND..."] [RUNS]    (default: "run_agent deb tarball lab", 5 runs)
# Kinds: run_agent: scripts/run_agent.sh; deb: /usr/bin/monitor-agent of the .deb installed into a scratch
# root (dpkg --root, maintainer scripts run); tarball: bin/monitor-agent of the unpacked tarball after
# bin/setup; lab: the lab's Python agent (monitor-it/src/test/resources/lab/heartbeat.py, python3-etcd3), which
# announces nothing on SIGTERM: its figures are the baseline. Run r of every kind comes before run r+1 of
# any, so a change of the machine's load weighs on all kinds alike. The waits block (a read from the
# watch's FIFO, `wait`): nothing polls while an agent starts. Prints the median and every run per kind. Needs the jars and
# `mvn -f monitor-dist/pom.xml package`; also run by `scripts/bench.sh start-stop`.
set -euo pipefail
REPO="$(cd "${BASH_SOURCE[0]%/*}/../../.." && pwd)"
TARGET="$REPO/monitor-dist/target"
KINDS="${1:-run_agent deb tarball lab}"
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

# Prints the command that starts an agent of KIND (set up once).
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
    lab)
      /usr/bin/python3 -c 'import etcd3' 2>/dev/null ||
        { echo "start-stop.sh: the lab agent needs python3-etcd3 (apt-get install -y python3-etcd3)" >&2; exit 2; }
      local hostport="${ETCD_ENDPOINTS#*://}"
      printf '#!/bin/sh\nETCD_HOST=%s ETCD_PORT=%s exec /usr/bin/python3 -u %s\n' "${hostport%:*}" "${hostport##*:}" \
        "$REPO/monitor-it/src/test/resources/lab/heartbeat.py" >"$work/lab-agent"
      chmod +x "$work/lab-agent"
      echo "$work/lab-agent" ;;
    *) echo "start-stop.sh: unknown kind '$1': run_agent, deb, tarball or lab" >&2; exit 2 ;;
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

declare -A wrapper starts stops
for kind in $KINDS; do
  wrapper[$kind]="$(wrapper_of "$kind")"
done
# The deb's wrapper finds its files under the scratch root.
export ETCD_MONITOR_ROOT="$work/root"

# One start and stop of KIND as run RUN: appends to starts[KIND] and stops[KIND].
measure() {
  local kind="$1" run="$2" node events fd t0 t1 t2 pid watcher
  node="start-stop-$kind-$run"
  events="$work/$node.events"
  mkfifo "$events"
  etcdctl --endpoints "$ETCD_ENDPOINTS" watch "/monitor/heartbeat/$node" >"$events" 2>/dev/null &
  watcher=$!
  exec {fd}<"$events"
  sleep 0.3 # the watch is open before the agent starts
  t0="$(now_ms)"
  NODE_NAME="$node" "${wrapper[$kind]}" >"$work/$node.out" 2>&1 &
  pid=$!
  # Blocks until etcdctl prints the event's first line.
  if ! read -r -t 30 _ <&"$fd"; then
    echo "start-stop.sh: $kind run $run: no heartbeat key within 30 s; its output:" >&2
    cat "$work/$node.out" >&2
    exit 1
  fi
  t1="$(now_ms)"
  kill "$watcher" 2>/dev/null || true
  exec {fd}<&-
  sleep 1
  t2="$(now_ms)"
  kill -TERM "$pid"
  wait "$pid" || true
  stops[$kind]+=" $(($(now_ms) - t2))"
  starts[$kind]+=" $((t1 - t0))"
  grep -q '\[Heartbeat\]' "$work/$node.out" || echo "start-stop.sh: $kind run $run printed no heartbeat line" >&2
  if [[ $kind != lab ]] && ! grep -q 'Leaving' "$work/$node.out"; then
    echo "start-stop.sh: $kind run $run announced no LEFT on SIGTERM" >&2
  fi
  wait "$watcher" 2>/dev/null || true
}

for run in $(seq "$RUNS"); do
  for kind in $KINDS; do
    measure "$kind" "$run"
  done
done
for kind in $KINDS; do
  # shellcheck disable=SC2086 # the lists are space-separated numbers
  echo "$kind: start -> key visible median $(printf '%s\n' ${starts[$kind]} | median) ms (runs:${starts[$kind]});" \
    "SIGTERM -> gone median $(printf '%s\n' ${stops[$kind]} | median) ms (runs:${stops[$kind]})"
done
