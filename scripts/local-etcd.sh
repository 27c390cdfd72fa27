#!/usr/bin/env bash
# A throwaway etcd cluster on 127.0.0.1, for development and for scripts/test_scenario.sh.
#   scripts/local-etcd.sh start [1|3]   start 1 or 3 members (default 3), wait until all are healthy,
#                                       print "export ETCD_ENDPOINTS=..." (so: eval "$(scripts/local-etcd.sh start)")
#   scripts/local-etcd.sh stop          stop the members and delete their data (logs are kept)
#   scripts/local-etcd.sh status        one line per member; exit 0 only when every member is healthy
#   scripts/local-etcd.sh endpoints     print the ETCD_ENDPOINTS value of the running cluster
# Environment:
#   LOCAL_ETCD_DIR        pids, logs and data (default: <repo>/.local-etcd)
#   LOCAL_ETCD_BASE_PORT  client port of the first member (default 2379); members listen for clients on
#                         BASE, BASE+20000, BASE+30000 and for peers on the port above each
#   LOCAL_ETCD_TIMEOUT    seconds to wait for the members to become healthy (default 30)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR="${LOCAL_ETCD_DIR:-$REPO/.local-etcd}"
BASE="${LOCAL_ETCD_BASE_PORT:-2379}"
TIMEOUT="${LOCAL_ETCD_TIMEOUT:-30}"
USAGE="usage: local-etcd.sh start [1|3] | stop | status | endpoints"

[[ $BASE =~ ^[0-9]+$ && $BASE -ge 1024 && $BASE -le 35534 ]] ||
  usage_error "LOCAL_ETCD_BASE_PORT must be a port from 1024 to 35534, got '$BASE'"
[[ $TIMEOUT =~ ^[0-9]+$ && $TIMEOUT -ge 1 ]] ||
  usage_error "LOCAL_ETCD_TIMEOUT must be a whole number of seconds >= 1, got '$TIMEOUT'"

client_port() {
  case "$1" in
    0) echo "$BASE" ;;
    1) echo $((BASE + 20000)) ;;
    2) echo $((BASE + 30000)) ;;
  esac
}

# True when something accepts connections on 127.0.0.1:PORT.
port_in_use() {
  (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Who listens on PORT, when `ss` can tell.
port_owner() {
  if have ss; then
    ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:.*' | head -1
  fi
}

# The pid of member I when it is running and really is our etcd (not a reused pid).
member_pid() {
  local pid_file="$DIR/m$1.pid" pid
  [[ -f $pid_file ]] || return 1
  pid="$(<"$pid_file")"
  [[ -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "--data-dir=$DIR/m$1.etcd" || return 1
  echo "$pid"
}

member_healthy() {
  local port="$1"
  if have curl; then
    curl -fsS --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"'
  else
    ETCDCTL_API=3 etcdctl --endpoints="127.0.0.1:$port" --dial-timeout=1s --command-timeout=1s \
      endpoint health >/dev/null 2>&1
  fi
}

member_count() {
  [[ -f $DIR/members ]] && cat "$DIR/members"
}

running_members() {
  local i count=0
  for i in 0 1 2; do
    if member_pid "$i" >/dev/null; then count=$((count + 1)); fi
  done
  echo "$count"
}

all_healthy() {
  local n="$1" i
  for ((i = 0; i < n; i++)); do
    member_pid "$i" >/dev/null && member_healthy "$(client_port "$i")" || return 1
  done
}

endpoints_of() {
  local n="$1" i list=""
  for ((i = 0; i < n; i++)); do
    list+="${list:+,}127.0.0.1:$(client_port "$i")"
  done
  echo "$list"
}

check_ports_free() {
  local n="$1" i port owner
  for ((i = 0; i < n; i++)); do
    for port in "$(client_port "$i")" $(($(client_port "$i") + 1)); do
      if port_in_use "$port"; then
        owner="$(port_owner "$port")"
        die "port $port is already in use${owner:+ by $owner} (a stray etcd, e.g. Debian's etcd service?):" \
          "stop it (service etcd stop) or choose other ports with LOCAL_ETCD_BASE_PORT=12379"
      fi
    done
  done
}

start_member() {
  local i="$1" cluster="$2" cport pport
  cport="$(client_port "$i")"
  pport=$((cport + 1))
  rm -rf "$DIR/m$i.etcd"
  nohup etcd --name "m$i" --data-dir="$DIR/m$i.etcd" --logger=zap \
    --listen-client-urls "http://127.0.0.1:$cport" --advertise-client-urls "http://127.0.0.1:$cport" \
    --listen-peer-urls "http://127.0.0.1:$pport" --initial-advertise-peer-urls "http://127.0.0.1:$pport" \
    --initial-cluster "$cluster" --initial-cluster-token "local-etcd-$BASE" --initial-cluster-state new \
    </dev/null >"$DIR/m$i.log" 2>&1 &
  local pid="$!" tries=0
  echo "$pid" >"$DIR/m$i.pid"
  # Until nohup has exec'd etcd, /proc shows the forked shell: wait so member_pid recognises it.
  while ! member_pid "$i" >/dev/null && running "$pid" && ((tries++ < 100)); do sleep 0.02; done
}

wait_healthy() {
  local n="$1" deadline=$((SECONDS + TIMEOUT)) i
  until all_healthy "$n"; do
    for ((i = 0; i < n; i++)); do
      if ! member_pid "$i" >/dev/null; then
        tail -n 5 "$DIR/m$i.log" >&2 || true
        stop_members >/dev/null
        die "etcd member m$i exited during start-up; its log is $DIR/m$i.log"
      fi
    done
    if ((SECONDS >= deadline)); then
      stop_members >/dev/null
      die "the etcd members were not healthy after ${TIMEOUT}s; logs: $DIR/m*.log"
    fi
    sleep 0.2
  done
}

cmd_start() {
  local n="${1:-3}" i cluster=""
  [[ $n == 1 || $n == 3 ]] || usage_error "start takes 1 or 3 members, got '$n'"
  if [[ $(running_members) -gt 0 ]]; then
    if [[ $(member_count) == "$n" ]] && all_healthy "$n"; then
      echo "[Etcd] $n-member cluster already running in $DIR" >&2
      echo "export ETCD_ENDPOINTS=$(<"$DIR/endpoints")"
      return 0
    fi
    die "a local etcd cluster is already running from $DIR: run 'scripts/local-etcd.sh stop' first"
  fi
  ensure_etcd
  check_ports_free "$n"
  mkdir -p "$DIR"
  for ((i = 0; i < n; i++)); do
    cluster+="${cluster:+,}m$i=http://127.0.0.1:$(($(client_port "$i") + 1))"
  done
  echo "$n" >"$DIR/members"
  endpoints_of "$n" >"$DIR/endpoints"
  for ((i = 0; i < n; i++)); do start_member "$i" "$cluster"; done
  wait_healthy "$n"
  echo "[Etcd] $n-member cluster healthy; pids, logs and data in $DIR" >&2
  echo "export ETCD_ENDPOINTS=$(<"$DIR/endpoints")"
}

# Stops our members: SIGTERM to all, SIGKILL to any still running after 3 s (a leader whose followers are
# stopping too waits about 7 s for a leadership transfer that cannot happen). Deletes data, keeps logs.
stop_members() {
  local i pid pids=() deadline=$((SECONDS + 3))
  for i in 0 1 2; do
    if pid="$(member_pid "$i")"; then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    while running "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  for i in 0 1 2; do rm -rf "$DIR/m$i.pid" "$DIR/m$i.etcd"; done
  rm -f "$DIR/members" "$DIR/endpoints"
  echo "${#pids[@]}"
}

cmd_stop() {
  local stopped
  stopped="$(stop_members)"
  echo "[Etcd] stopped $stopped member(s) from $DIR" >&2
}

cmd_status() {
  local n i port pid state ok=0
  n="$(member_count)" || true
  if [[ -z $n ]]; then
    echo "[Etcd] no local cluster in $DIR"
    return 1
  fi
  for ((i = 0; i < n; i++)); do
    port="$(client_port "$i")"
    if pid="$(member_pid "$i")"; then
      if member_healthy "$port"; then state="healthy"; else state="unhealthy" ok=1; fi
      echo "[Etcd] m$i 127.0.0.1:$port pid $pid $state"
    else
      echo "[Etcd] m$i 127.0.0.1:$port stopped"
      ok=1
    fi
  done
  return "$ok"
}

cmd_endpoints() {
  [[ -f $DIR/endpoints && $(running_members) -gt 0 ]] ||
    die "no local etcd cluster running in $DIR: run 'scripts/local-etcd.sh start' first"
  cat "$DIR/endpoints"
}

case "${1:-}" in
  start) [[ $# -le 2 ]] || usage_error "$USAGE"; cmd_start "${2:-3}" ;;
  stop) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_stop ;;
  status) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_status ;;
  endpoints) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_endpoints ;;
  *) usage_error "$USAGE" ;;
esac
