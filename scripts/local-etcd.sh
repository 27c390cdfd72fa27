#!/usr/bin/env bash
# A throwaway etcd cluster on 127.0.0.1, for development and for scripts/test_scenario.sh.
#   scripts/local-etcd.sh start [1|3] [--tls]
#                               start 1 or 3 members (default 3), wait until all are healthy,
#                               print "export ETCD_ENDPOINTS=..." (so: eval "$(scripts/local-etcd.sh start)").
#                               --tls: a throwaway CA in <dir>/pki, TLS with client certificates for clients
#                               and peers, https:// endpoints; also prints ETCDCTL_CACERT, ETCDCTL_CERT and
#                               ETCDCTL_KEY (a client certificate with CN=root), which etcdctl and the jars read
#   scripts/local-etcd.sh stop          stop the members and delete their data and certificates (logs are kept)
#   scripts/local-etcd.sh status        one line per member; exit 0 only when every member is healthy
#   scripts/local-etcd.sh endpoints     print the ETCD_ENDPOINTS value of the running cluster
#   scripts/local-etcd.sh env           print the environment of the running cluster, as start does
#   scripts/local-etcd.sh cert NAME...  TLS cluster only: a client certificate with CN=NAME (the etcd user under
#                                       --client-cert-auth), made when missing; prints "# CN=NAME" and
#                                       "export ETCDCTL_CERT=... ETCDCTL_KEY=..." lines for each NAME
# Environment:
#   LOCAL_ETCD_DIR        pids, logs, data, certificates (default: <repo>/.local-etcd)
#   LOCAL_ETCD_BASE_PORT  client port of the first member (default 2379); members listen for clients on
#                         BASE, BASE+20000, BASE+30000 and for peers on the port above each
#   LOCAL_ETCD_TIMEOUT    seconds to wait for the members to become healthy (default 30)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR="${LOCAL_ETCD_DIR:-$REPO/.local-etcd}"
[[ $DIR == /* ]] || DIR="$PWD/$DIR" # the printed certificate paths must work from any directory
PKI="$DIR/pki"
BASE="${LOCAL_ETCD_BASE_PORT:-2379}"
TIMEOUT="${LOCAL_ETCD_TIMEOUT:-30}"
USAGE="usage: local-etcd.sh start [1|3] [--tls] | stop | status | endpoints | env | cert NAME..."
TLS=0 # 1 when the cluster in DIR runs (or is being started) with TLS: see load_mode

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

# TLS=1 when the cluster in DIR was started with --tls (recorded in DIR/mode).
load_mode() {
  TLS=0
  if [[ $(cat "$DIR/mode" 2>/dev/null) == tls ]]; then TLS=1; fi
}

mode_name() {
  if ((TLS)); then echo "TLS"; else echo "plaintext"; fi
}

# The client URL of the member on PORT as ETCD_ENDPOINTS and status show it (plaintext: host:port, as before).
client_url() {
  if ((TLS)); then echo "https://127.0.0.1:$1"; else echo "127.0.0.1:$1"; fi
}

member_healthy() {
  local port="$1"
  if have curl; then
    if ((TLS)); then
      curl -fsS --max-time 1 --cacert "$PKI/ca.crt" --cert "$PKI/clients/root.crt" --key "$PKI/clients/root.key" \
        "https://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"'
    else
      curl -fsS --max-time 1 "http://127.0.0.1:$port/health" 2>/dev/null | grep -q '"health":"true"'
    fi
  elif ((TLS)); then
    # Through the environment, not flags: etcdctl 3.4 refuses a flag whose ETCDCTL_* variable is exported too.
    ETCDCTL_API=3 ETCDCTL_CACERT="$PKI/ca.crt" ETCDCTL_CERT="$PKI/clients/root.crt" ETCDCTL_KEY="$PKI/clients/root.key" \
      etcdctl --endpoints="https://127.0.0.1:$port" --dial-timeout=1s --command-timeout=1s \
      endpoint health >/dev/null 2>&1
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
    list+="${list:+,}$(client_url "$(client_port "$i")")"
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

# ---------------------------------------------------------------- the throwaway PKI of a --tls cluster
# Keys are EC P-256 in PKCS#8 ("BEGIN PRIVATE KEY", what etcd, etcdctl and the jars all read), made under
# umask 077; certificates are valid for 365 days. One certificate per member serves clients and peers.
CERT_DAYS=365
OPENSSL_CONFIG='[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ member ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
# clientAuth too: a member is the client of its peers, and the gRPC gateway of etcd 3.4 dials its own client port with it
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
authorityKeyIdentifier = keyid
[ client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
'

# Runs openssl quietly; a failure ends the script with one line holding what openssl said.
ossl() {
  local err
  err="$(openssl "$@" 2>&1 >/dev/null)" || die "openssl $1 failed in $PKI: ${err//$'\n'/ | }"
}

new_key() {
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# Makes the CA in an empty PKI directory. Call in a subshell with umask 077.
make_ca() {
  mkdir -p "$PKI/members" "$PKI/clients"
  printf '%s' "$OPENSSL_CONFIG" >"$PKI/openssl.cnf"
  new_key "$PKI/ca.key"
  ossl req -x509 -new -config "$PKI/openssl.cnf" -extensions ca -key "$PKI/ca.key" -sha256 -days "$CERT_DAYS" \
    -subj "/CN=local-etcd throwaway CA ($BASE)" -out "$PKI/ca.crt"
}

# issue KIND STEM CN: KIND (member or client) certificate STEM.crt with key STEM.key for CN, signed by the CA.
# Written under temporary names and renamed, key first: a half-made pair is never taken for a whole one.
issue() {
  local kind="$1" stem="$2" cn="$3" serial
  serial="0x$(openssl rand -hex 16)"
  new_key "$stem.key.tmp"
  ossl req -new -config "$PKI/openssl.cnf" -key "$stem.key.tmp" -subj "/CN=$cn" -out "$stem.csr.tmp"
  ossl x509 -req -in "$stem.csr.tmp" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -set_serial "$serial" -sha256 \
    -days "$CERT_DAYS" -extfile "$PKI/openssl.cnf" -extensions "$kind" -out "$stem.crt.tmp"
  rm -f "$stem.csr.tmp"
  mv -f "$stem.key.tmp" "$stem.key"
  mv -f "$stem.crt.tmp" "$stem.crt"
}

# A new CA, the certificates of N members and the root client certificate, replacing any earlier PKI.
make_pki() {
  local n="$1" i
  have openssl || apt_install openssl
  rm -rf "$PKI"
  (
    umask 077
    make_ca
    for ((i = 0; i < n; i++)); do issue member "$PKI/members/m$i" "m$i"; done
    issue client "$PKI/clients/root" root
  )
}

# Prints "export NAME=VALUE", quoting VALUE only when the shell needs it (printf %q would escape every comma).
print_export() {
  if [[ $2 =~ ^[A-Za-z0-9_./:,@%+=-]*$ ]]; then
    printf 'export %s=%s\n' "$1" "$2"
  else
    printf 'export %s=%q\n' "$1" "$2"
  fi
}

# Prints the environment of the running cluster: ETCD_ENDPOINTS, and with TLS the CA and root client certificate.
print_env() {
  print_export ETCD_ENDPOINTS "$(<"$DIR/endpoints")"
  if ((TLS)); then
    print_export ETCDCTL_CACERT "$PKI/ca.crt"
    print_export ETCDCTL_CERT "$PKI/clients/root.crt"
    print_export ETCDCTL_KEY "$PKI/clients/root.key"
  fi
}

start_member() {
  local i="$1" cluster="$2" cport pport scheme=http tls_flags=()
  cport="$(client_port "$i")"
  pport=$((cport + 1))
  if ((TLS)); then
    scheme=https
    tls_flags=(--cert-file "$PKI/members/m$i.crt" --key-file "$PKI/members/m$i.key"
      --trusted-ca-file "$PKI/ca.crt" --client-cert-auth
      --peer-cert-file "$PKI/members/m$i.crt" --peer-key-file "$PKI/members/m$i.key"
      --peer-trusted-ca-file "$PKI/ca.crt" --peer-client-cert-auth)
  fi
  rm -rf "$DIR/m$i.etcd"
  nohup etcd --name "m$i" --data-dir="$DIR/m$i.etcd" --logger=zap \
    --listen-client-urls "$scheme://127.0.0.1:$cport" --advertise-client-urls "$scheme://127.0.0.1:$cport" \
    --listen-peer-urls "$scheme://127.0.0.1:$pport" --initial-advertise-peer-urls "$scheme://127.0.0.1:$pport" \
    --initial-cluster "$cluster" --initial-cluster-token "local-etcd-$BASE" --initial-cluster-state new \
    "${tls_flags[@]}" </dev/null >"$DIR/m$i.log" 2>&1 &
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

# cmd_start N TLS: starts N members, with TLS when TLS is 1.
cmd_start() {
  local n="$1" want_tls="$2" i cluster="" scheme=http
  if [[ $(running_members) -gt 0 ]]; then
    load_mode
    if [[ $(member_count) == "$n" && $TLS == "$want_tls" ]] && all_healthy "$n"; then
      echo "[Etcd] $n-member $(mode_name) cluster already running in $DIR" >&2
      print_env
      return 0
    fi
    die "a local $(member_count)-member $(mode_name) etcd cluster is already running from $DIR:" \
      "run 'scripts/local-etcd.sh stop' first"
  fi
  TLS="$want_tls"
  ensure_etcd
  check_ports_free "$n"
  mkdir -p "$DIR"
  if ((TLS)); then
    make_pki "$n"
    scheme=https
    echo tls >"$DIR/mode"
  else
    rm -rf "$PKI" # left by a --tls cluster that was not stopped
    echo plain >"$DIR/mode"
  fi
  for ((i = 0; i < n; i++)); do
    cluster+="${cluster:+,}m$i=$scheme://127.0.0.1:$(($(client_port "$i") + 1))"
  done
  echo "$n" >"$DIR/members"
  endpoints_of "$n" >"$DIR/endpoints"
  for ((i = 0; i < n; i++)); do start_member "$i" "$cluster"; done
  wait_healthy "$n"
  if ((TLS)); then
    echo "[Etcd] $n-member TLS cluster healthy (client certificates required from clients and peers);" \
      "CA and certificates in $PKI; pids, logs and data in $DIR" >&2
  else
    echo "[Etcd] $n-member cluster healthy; pids, logs and data in $DIR" >&2
  fi
  print_env
}

# Stops our members: SIGTERM to all, SIGKILL to any still running after 3 s (a leader whose followers are
# stopping too waits about 7 s for a leadership transfer that cannot happen). Deletes data and the PKI of a
# --tls cluster (its CA is throwaway, and the keys should not outlive it), keeps logs.
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
  rm -rf "$DIR/members" "$DIR/endpoints" "$DIR/mode" "$PKI"
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
  load_mode
  for ((i = 0; i < n; i++)); do
    port="$(client_port "$i")"
    if pid="$(member_pid "$i")"; then
      if member_healthy "$port"; then state="healthy"; else state="unhealthy" ok=1; fi
      echo "[Etcd] m$i $(client_url "$port") pid $pid $state"
    else
      echo "[Etcd] m$i $(client_url "$port") stopped"
      ok=1
    fi
  done
  return "$ok"
}

require_running() {
  [[ -f $DIR/endpoints && $(running_members) -gt 0 ]] ||
    die "no local etcd cluster running in $DIR: run 'scripts/local-etcd.sh start' first"
  load_mode
}

cmd_endpoints() {
  require_running
  cat "$DIR/endpoints"
}

cmd_env() {
  require_running
  print_env
}

# cmd_cert NAME...: for each NAME, the client certificate with CN=NAME, made when missing; prints its paths.
cmd_cert() {
  local name shown stem
  for name in "$@"; do
    # The node-name rule of the jars: the CN becomes the etcd user and a file name, so nothing else goes.
    if [[ ! $name =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ || ${#name} -gt 253 ]]; then
      printf -v shown '%q' "$name"
      usage_error "cert: NAME must be letters, digits, '.', '_' or '-' (not first), at most 253 characters, got $shown"
    fi
  done
  [[ -f $PKI/ca.key && -f $PKI/ca.crt ]] ||
    die "no TLS cluster in $DIR (no CA in $PKI): run 'scripts/local-etcd.sh start --tls' first"
  have openssl || apt_install openssl
  umask 077
  # One cert command at a time: two asking for the same NAME must not mix their keys and certificates.
  exec 9>>"$PKI/.lock"
  if have flock; then flock 9; fi
  for name in "$@"; do
    stem="$PKI/clients/$name"
    if [[ -f $stem.crt && -f $stem.key ]]; then
      echo "[Etcd] client certificate CN=$name exists: $stem.crt" >&2
    else
      issue client "$stem" "$name"
      echo "[Etcd] client certificate CN=$name made: $stem.crt" >&2
    fi
    echo "# CN=$name"
    print_export ETCDCTL_CERT "$stem.crt"
    print_export ETCDCTL_KEY "$stem.key"
  done
  exec 9>&-
}

# start [1|3] [--tls], in either order.
parse_start() {
  local arg n="" tls=0
  for arg in "$@"; do
    case "$arg" in
      --tls) tls=1 ;;
      -*) usage_error "start: unknown option '$arg' ($USAGE)" ;;
      *)
        [[ -z $n ]] || usage_error "$USAGE"
        [[ $arg == 1 || $arg == 3 ]] || usage_error "start takes 1 or 3 members, got '$arg'"
        n="$arg"
        ;;
    esac
  done
  cmd_start "${n:-3}" "$tls"
}

case "${1:-}" in
  start) shift; parse_start "$@" ;;
  stop) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_stop ;;
  status) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_status ;;
  endpoints) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_endpoints ;;
  env) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_env ;;
  cert) [[ $# -ge 2 ]] || usage_error "$USAGE"; shift; cmd_cert "$@" ;;
  *) usage_error "$USAGE" ;;
esac
