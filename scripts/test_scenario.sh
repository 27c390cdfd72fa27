#!/usr/bin/env bash
# The lab's Test 3, end to end, as a user runs it on a fresh machine:
#   scripts/test_scenario.sh [--tls]
#   build the jars if missing; start a local 3-member etcd unless ETCD_ENDPOINTS or ETCD_HOST is set
#   (with --tls: `local-etcd.sh start 3 --tls`, TLS and client certificates for clients and peers, and
#   ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY exported for the jars and etcdctl; the agents use the
#   root client certificate);
#   write the default config; start the monitor server and two agents (worker1, worker2);
#   Test 1:  change worker1's config at run time and time put -> "[Config] UPDATED";
#   Test 2:  kill -9 the worker1 agent and time kill -> "[-] Node worker1 DEAD (lease expired)";
#   Test 2b: SIGTERM the worker2 agent and time it -> "[-] Node worker2 LEFT (graceful shutdown)";
#   and the monitor's HTTP side: /readyz, /api/v1/nodes (both workers ALIVE with metrics, then DEAD and
#   LEFT) and /metrics (monitor_node_up per node); the dashboard's address is printed.
# Prints a results table and exits 0 only when every check passes.
# Logs (stdout lines prefixed with epoch-second timestamps) stay in a temporary folder, printed at start.
# Environment: ETCD_ENDPOINTS / ETCD_HOST + ETCD_PORT (use that etcd; with --tls it needs https:// endpoints
#   or ETCDCTL_CACERT, and ETCDCTL_CERT/ETCDCTL_KEY or ETCDCTL_USER/MONITOR_ETCD_PASSWORD_FILE as it requires),
#   HEARTBEAT_TTL (default 5),
#   LOCAL_ETCD_DIR, LOCAL_ETCD_BASE_PORT (see local-etcd.sh), JAVA_OPTS, MONITOR_HTTP (the monitor's HTTP
#   address, default 127.0.0.1:9780).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export LC_ALL=C # EPOCHREALTIME and awk must use "." as the decimal point

USAGE="usage: test_scenario.sh [--tls] (set ETCD_ENDPOINTS or ETCD_HOST to use a running etcd)"
TLS=0
case "$#:${1:-}" in
  0:) ;;
  1:--tls) TLS=1 ;;
  *) usage_error "$USAGE" ;;
esac
endpoints="$(env_endpoints)"
if ((TLS)) && [[ -n $endpoints && $endpoints != https://* && -z ${ETCDCTL_CACERT:-} ]]; then
  usage_error "--tls with endpoints $endpoints: give https:// endpoints or set ETCDCTL_CACERT" \
    "(and ETCDCTL_CERT/ETCDCTL_KEY), or unset ETCD_ENDPOINTS and ETCD_HOST to start a local TLS etcd"
fi
TTL="${HEARTBEAT_TTL:-5}"
[[ $TTL =~ ^[0-9]+$ && $TTL -ge 2 ]] || usage_error "HEARTBEAT_TTL must be a whole number of seconds >= 2, got '$TTL'"
export HEARTBEAT_TTL="$TTL"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/monitor-scenario.XXXXXX")"
NEW_CONFIG='{"interval": 2, "metrics": ["cpu", "memory"]}'
PIDS=()     # the java processes
STAMPERS=() # their log timestampers
RESULTS=()  # "expectation|measured|PASS or FAIL"
STARTED_ETCD=0

say() { echo "[Scenario] $*"; }

# ---------------------------------------------------------------- time helpers (epoch seconds, microsecond resolution)
now_us() { echo "${EPOCHREALTIME/./}"; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
at_most() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

# ---------------------------------------------------------------- processes
# Prefixes every line with the time it arrived.
stamp() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# start_proc NAME COMMAND...: stdout through a FIFO into a timestamper, stderr to NAME.err.
# The wrappers exec java, so LAST_PID is the java process itself.
start_proc() {
  local name="$1" fifo="$WORK/$1.fifo"
  shift
  mkfifo "$fifo"
  stamp <"$fifo" >"$WORK/$name.log" &
  STAMPERS+=("$!")
  "$@" >"$fifo" 2>"$WORK/$name.err" &
  LAST_PID="$!"
  PIDS+=("$LAST_PID")
}

# Waits (bounded) until PID has exec'd java, so that a signal hits the JVM and not a wrapper.
is_java() {
  local tries=0
  until [[ $(cat "/proc/$1/comm" 2>/dev/null) == java ]]; do
    running "$1" && ((tries++ < 100)) || return 1
    sleep 0.05
  done
}

# wait_exit PID T0 SECONDS: waits up to SECONDS for PID to end; prints the time it took from T0.
wait_exit() {
  local pid="$1" t0="$2" deadline=$(($(now_us) + $3 * 1000000))
  while running "$pid"; do
    (($(now_us) < deadline)) || return 1
    sleep 0.02
  done
  diff_s "$t0" "$EPOCHREALTIME"
}

# ---------------------------------------------------------------- log matching
# find_line FILE exact|prefix TEXT AFTER: the stamp of the first line at or after AFTER matching TEXT.
find_line() {
  awk -v mode="$2" -v text="$3" -v after="$4" '
    { line = substr($0, length($1) + 2) }
    $1 + 0 >= after + 0 && ((mode == "exact" && line == text) || (mode == "prefix" && index(line, text) == 1)) {
      print $1; exit
    }' "$1"
}

# wait_line FILE exact|prefix TEXT AFTER SECONDS: like find_line, polling for at most SECONDS.
wait_line() {
  local deadline=$(($(now_us) + $5 * 1000000)) found
  while :; do
    found="$(find_line "$1" "$2" "$3" "$4")"
    if [[ -n $found ]]; then
      echo "$found"
      return 0
    fi
    (($(now_us) < deadline)) || return 1
    sleep 0.05
  done
}

# Stamps of the agent's work-loop lines with the new config, at or after AFTER.
iteration_stamps() {
  awk -v after="$2" -v tail=": interval=2s, metrics=['cpu', 'memory']" '
    { line = substr($0, length($1) + 2) }
    $1 + 0 >= after + 0 && index(line, "[Agent] Iteration ") == 1 \
      && substr(line, length(line) - length(tail) + 1) == tail { print $1 }' "$1"
}

# ---------------------------------------------------------------- the monitor's HTTP side (bash only: no curl needed)
# http_get PATH: "STATUS BODY" of GET http://$MONITOR_HTTP$PATH on one line (HTTP/1.0: the server closes).
http_get() {
  local host="${MONITOR_HTTP%:*}" port="${MONITOR_HTTP##*:}" status="" line body
  exec 3<>"/dev/tcp/$host/$port" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$MONITOR_HTTP" >&3
  # read takes a byte at a time from a socket: the status line, then the headers up to the blank line.
  IFS=' ' read -r _ status _ <&3 || true
  while IFS= read -r line <&3 && [[ -n ${line%$'\r'} ]]; do :; done
  body="$(tr -d '\r\n' <&3)"
  exec 3<&-
  echo "$status $body"
}

# wait_http PATH REGEX SECONDS: polls PATH until its status and body ("STATUS BODY") match REGEX.
wait_http() {
  local deadline=$(($(now_us) + $3 * 1000000)) got
  while :; do
    got="$(http_get "$1" || true)"
    [[ $got =~ $2 ]] && return 0
    (($(now_us) < deadline)) || return 1
    sleep 0.1
  done
}

# The JSON of one node in /api/v1/nodes must name it and its state: "node": "worker1", "state": "ALIVE".
node_state() {
  printf '"node": *"%s", *"state": *"%s"' "$1" "$2"
}

# ---------------------------------------------------------------- results
record() {
  local verdict=FAIL
  [[ $3 == 0 ]] && verdict=PASS
  RESULTS+=("$1|$2|$verdict")
}

print_results() {
  local row failed=0
  echo
  printf '%-66s | %-36s | %s\n' "expectation" "measured" "result"
  printf '%s\n' "$(printf '%.0s-' {1..112})"
  for row in "${RESULTS[@]}"; do
    IFS='|' read -r expectation measured verdict <<<"$row"
    printf '%-66s | %-36s | %s\n' "$expectation" "$measured" "$verdict"
    [[ $verdict == PASS ]] || failed=1
  done
  echo
  if ((failed)); then
    say "FAILED; logs in $WORK"
    return 1
  fi
  say "all checks passed; logs in $WORK"
}

# Ends the scenario early after a failed step: the later tests would only repeat it.
give_up() {
  say "stopping early: $*"
  print_results || true
  exit 1
}

cleanup() {
  local rc=$? pid deadline=$(($(now_us) + 5000000))
  trap - EXIT
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}" "${STAMPERS[@]}"; do
    while running "$pid" && (($(now_us) < deadline)); do sleep 0.05; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -f "$WORK"/*.fifo
  if ((STARTED_ETCD)); then
    "$REPO/scripts/local-etcd.sh" stop 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- prerequisites and etcd
say "logs: $WORK/{server,worker1,worker2}.log (stdout, timestamped) and *.err (stderr)"
require_java17
ensure_jars

if [[ -z $endpoints ]]; then
  export LOCAL_ETCD_DIR="${LOCAL_ETCD_DIR:-$WORK/etcd}"
  start_args=(3)
  what="3-member"
  if ((TLS)); then
    start_args+=(--tls)
    what="3-member TLS"
  fi
  if ! "$REPO/scripts/local-etcd.sh" status >/dev/null 2>&1; then
    STARTED_ETCD=1
    say "ETCD_ENDPOINTS and ETCD_HOST are not set: starting a local $what etcd in $LOCAL_ETCD_DIR"
    "$REPO/scripts/local-etcd.sh" start "${start_args[@]}" >/dev/null
  fi
  # The local cluster's environment is the whole story: no credentials of some other etcd left over.
  unset ETCDCTL_CACERT ETCDCTL_CERT ETCDCTL_KEY ETCDCTL_USER MONITOR_ETCD_PASSWORD_FILE
  cluster_env="$("$REPO/scripts/local-etcd.sh" env)"
  eval "$cluster_env" # export ETCD_ENDPOINTS=..., and for a TLS cluster ETCDCTL_CACERT, ETCDCTL_CERT, ETCDCTL_KEY
  if ((TLS)) && [[ -z ${ETCDCTL_CACERT:-} ]]; then
    die "--tls: the local etcd already running in $LOCAL_ETCD_DIR has no TLS: stop it" \
      "(LOCAL_ETCD_DIR=$LOCAL_ETCD_DIR scripts/local-etcd.sh stop) or choose another LOCAL_ETCD_DIR"
  fi
  endpoints="$ETCD_ENDPOINTS"
fi
export ETCD_ENDPOINTS="$endpoints"
say "etcd endpoints: $ETCD_ENDPOINTS"
if [[ -n ${ETCDCTL_CACERT:-} || -n ${ETCDCTL_CERT:-} ]]; then
  say "etcd TLS: CA ${ETCDCTL_CACERT:-(the JVM trust store)}, client certificate ${ETCDCTL_CERT:-(none)}, key ${ETCDCTL_KEY:-(none)}"
fi

# ---------------------------------------------------------------- Step: setup config
if "$REPO/scripts/setup_config.sh" >"$WORK/setup.log" 2>&1; then
  record "setup_config.sh writes and reads back the 3 default keys" "ok" 0
else
  record "setup_config.sh writes and reads back the 3 default keys" "failed, see setup.log" 1
  give_up "setup_config.sh failed: $(tail -n 1 "$WORK/setup.log")"
fi

# ---------------------------------------------------------------- Step: server, then two agents
export MONITOR_HTTP="${MONITOR_HTTP:-127.0.0.1:9780}"
t0="$EPOCHREALTIME"
start_proc server "$REPO/scripts/run_server.sh"
SERVER_PID="$LAST_PID"
if seen="$(wait_line "$WORK/server.log" prefix "[Status] Total alive: " "$t0" 30)"; then
  record "server prints its first [Status] within 30 s" "$(diff_s "$t0" "$seen") s after start" 0
else
  record "server prints its first [Status] within 30 s" "not seen" 1
  give_up "the server did not start; see $WORK/server.log and server.err"
fi

declare -A AGENT_PID
for node in worker1 worker2; do
  start_proc "$node" "$REPO/scripts/run_agent.sh" --node "$node"
  AGENT_PID[$node]="$LAST_PID"
done
for node in worker1 worker2; do
  if seen="$(wait_line "$WORK/server.log" prefix "[+] Node $node ALIVE -> " "$t0" 30)"; then
    record "[+] Node $node ALIVE in the server log within 30 s" "$(diff_s "$t0" "$seen") s after start" 0
  else
    record "[+] Node $node ALIVE in the server log within 30 s" "not seen" 1
  fi
done
initial="[Agent] Loaded initial config: {'interval': 10, 'metrics': ['cpu', 'memory', 'disk']}"
if wait_line "$WORK/worker1.log" exact "$initial" "$t0" 10 >/dev/null; then
  record "worker1 loads the initial config (interval 10)" "seen" 0
else
  record "worker1 loads the initial config (interval 10)" "not seen" 1
fi
running "$SERVER_PID" || give_up "the server exited; see $WORK/server.err"

# ---------------------------------------------------------------- HTTP: readiness, API, Prometheus
if wait_http /readyz '^200 ' 10; then
  record "GET /readyz answers 200 once the monitor listed etcd" "200" 0
else
  record "GET /readyz answers 200 once the monitor listed etcd" "$(http_get /readyz || echo "no answer at $MONITOR_HTTP")" 1
fi
api_alive="^200 .*$(node_state worker1 ALIVE).*\"cpu\".*$(node_state worker2 ALIVE).*\"memory\""
if wait_http /api/v1/nodes "$api_alive" 15; then
  record "GET /api/v1/nodes: worker1 and worker2 ALIVE, with metrics" "seen" 0
else
  record "GET /api/v1/nodes: worker1 and worker2 ALIVE, with metrics" "not seen in 15 s" 1
fi
if wait_http /metrics '^200 .*monitor_node_up\{node="worker1"\} 1.*monitor_node_up\{node="worker2"\} 1' 10; then
  record "GET /metrics: monitor_node_up 1 for both workers" "seen" 0
else
  record "GET /metrics: monitor_node_up 1 for both workers" "not seen in 10 s" 1
fi
say "dashboard: http://$MONITOR_HTTP/ (API http://$MONITOR_HTTP/api/v1/nodes, Prometheus http://$MONITOR_HTTP/metrics)"

# ---------------------------------------------------------------- Test 1: config update at run time
put_from="" # what the put -> UPDATED time is measured from, when not from the start of etcdctl put
if have etcdctl; then
  t_start="$EPOCHREALTIME"
  t_put="$t_start"
  # TLS comes from the exported ETCDCTL_CACERT/CERT/KEY: etcdctl 3.4 refuses a flag whose variable is set too.
  ETCDCTL_API=3 etcdctl --endpoints="$ETCD_ENDPOINTS" put /monitor/config/worker1 "$NEW_CONFIG" >/dev/null ||
    give_up "etcdctl put /monitor/config/worker1 failed"
else
  # Timed from the command's first output line, which follows the put: a JVM start would dwarf the watch.
  t_start="$EPOCHREALTIME"
  t_put="$t_start"
  "$REPO/scripts/run_server.sh" config set worker1 "$NEW_CONFIG" | stamp >"$WORK/config-set.log" ||
    give_up "monitor-server.jar config set worker1 failed"
  reply="$(awk 'NR == 1 { print $1 }' "$WORK/config-set.log")"
  if [[ -n $reply ]]; then
    t_put="$reply"
    put_from=" after config set replied"
  fi
fi
say "Test 1: put /monitor/config/worker1 $NEW_CONFIG"
updated="[Config] UPDATED config from etcd: {'interval': 2, 'metrics': ['cpu', 'memory']}"
if seen="$(wait_line "$WORK/worker1.log" exact "$updated" "$t_start" 10)"; then
  took="$(diff_s "$t_put" "$seen")"
  at_most "$took" 1.0 && ok=0 || ok=1
  record "Test 1: put -> [Config] UPDATED in worker1's log <= 1.0 s" "$took s$put_from" "$ok"
  deadline=$(($(now_us) + 12000000))
  while [[ $(iteration_stamps "$WORK/worker1.log" "$seen" | wc -l) -lt 3 ]] && (($(now_us) < deadline)); do sleep 0.1; done
  mapfile -t its < <(iteration_stamps "$WORK/worker1.log" "$seen" | head -n 3)
  if [[ ${#its[@]} -eq 3 ]]; then
    first="$(diff_s "$seen" "${its[0]}")"
    gap1="$(diff_s "${its[0]}" "${its[1]}")"
    gap2="$(diff_s "${its[1]}" "${its[2]}")"
    ok=0
    at_most "$first" 2.3 || ok=1
    for gap in "$gap1" "$gap2"; do at_most 1.7 "$gap" && at_most "$gap" 2.3 || ok=1; done
    record "Test 1: 3 iterations interval=2s, 1st <= 2.3 s, gaps 2.0 +- 0.3 s" "1st +$first s, gaps $gap1 s, $gap2 s" "$ok"
  else
    record "Test 1: 3 iterations interval=2s, 1st <= 2.3 s, gaps 2.0 +- 0.3 s" "${#its[@]} seen in 12 s" 1
  fi
else
  record "Test 1: put -> [Config] UPDATED in worker1's log <= 1.0 s" "not seen in 10 s" 1
fi

# ---------------------------------------------------------------- Test 2: kill -9 an agent
limit=$((TTL + 1))
pid="${AGENT_PID[worker1]}"
if is_java "$pid"; then
  disown "$pid" # no "Killed" job notice from bash; cleanup still sees the pid through /proc
  t_kill="$EPOCHREALTIME"
  kill -KILL "$pid"
  say "Test 2: kill -9 $pid (worker1's JVM)"
  if seen="$(wait_line "$WORK/server.log" exact "[-] Node worker1 DEAD (lease expired)" "$t_kill" $((TTL + 10)))"; then
    took="$(diff_s "$t_kill" "$seen")"
    at_most "$took" "$limit" && ok=0 || ok=1
    record "Test 2: kill -9 worker1 -> [-] Node worker1 DEAD <= $limit s" "$took s" "$ok"
    if wait_line "$WORK/server.log" exact "[Status] Currently ALIVE nodes: ['worker2']" "$seen" 12 >/dev/null; then
      record "Test 2: then [Status] Currently ALIVE nodes: ['worker2']" "seen" 0
    else
      record "Test 2: then [Status] Currently ALIVE nodes: ['worker2']" "not seen in 12 s" 1
    fi
  else
    record "Test 2: kill -9 worker1 -> [-] Node worker1 DEAD <= $limit s" "not seen in $((TTL + 10)) s" 1
  fi
else
  record "Test 2: kill -9 worker1 -> [-] Node worker1 DEAD <= $limit s" "worker1's JVM was not running" 1
fi

# ---------------------------------------------------------------- Test 2b: graceful stop
pid="${AGENT_PID[worker2]}"
if is_java "$pid"; then
  t_term="$EPOCHREALTIME"
  kill -TERM "$pid"
  say "Test 2b: kill -TERM $pid (worker2's JVM)"
  if seen="$(wait_line "$WORK/server.log" exact "[-] Node worker2 LEFT (graceful shutdown)" "$t_term" 10)"; then
    took="$(diff_s "$t_term" "$seen")"
    at_most "$took" 1.0 && ok=0 || ok=1
    record "Test 2b: SIGTERM worker2 -> [-] Node worker2 LEFT <= 1.0 s" "$took s" "$ok"
  else
    record "Test 2b: SIGTERM worker2 -> [-] Node worker2 LEFT <= 1.0 s" "not seen in 10 s" 1
  fi
  if took="$(wait_exit "$pid" "$t_term" 5)"; then
    wait "$pid" 2>/dev/null && code=0 || code=$?
    [[ $code == 0 ]] && at_most "$took" 2.0 && ok=0 || ok=1
    record "Test 2b: worker2's agent exits with 0 within 2 s" "exit $code after $took s" "$ok"
  else
    record "Test 2b: worker2's agent exits with 0 within 2 s" "still running after 5 s" 1
  fi
else
  record "Test 2b: SIGTERM worker2 -> [-] Node worker2 LEFT <= 1.0 s" "worker2's JVM was not running" 1
fi

# ---------------------------------------------------------------- HTTP: the API after the two tests
if wait_http /api/v1/nodes "^200 .*$(node_state worker1 DEAD).*$(node_state worker2 LEFT)" 10; then
  record "GET /api/v1/nodes: then worker1 DEAD and worker2 LEFT" "seen" 0
else
  record "GET /api/v1/nodes: then worker1 DEAD and worker2 LEFT" "not seen in 10 s" 1
fi

print_results
