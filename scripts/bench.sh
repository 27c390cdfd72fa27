#!/usr/bin/env bash
# Runs the benchmarks (monitor-bench.jar): against a throwaway local 1-member etcd that it starts and
# stops, or against your etcd when ETCD_ENDPOINTS (or ETCD_HOST/ETCD_PORT) is set - use a test etcd:
# the bench writes /monitor/heartbeat/bench-* and /monitor/config/bench-* keys, and the monitors it
# starts report every node they see.
#   scripts/bench.sh detect|config|fleet|footprint|all [options]    (scripts/bench.sh --help for all)
#   scripts/bench.sh fleet --agents 1000,5000,10000 --duration 10m --mode both
#   scripts/bench.sh tls --runs 5      the agent over TLS vs plaintext; starts its own two etcds (ETCD_ENDPOINTS
#                                      is not used) and runs a copy of the agent jar (see copy_agent)
#   scripts/bench.sh start-stop ["KIND..."] [RUNS]
#                                      start -> key visible and SIGTERM -> gone through scripts/run_agent.sh, the
#                                      installed .deb, the unpacked tarball and the lab's Python agent, on its own
#                                      etcd (monitor-dist/src/bench/start-stop.sh; builds the packages if missing)
# Environment:
#   ETCD_ENDPOINTS, ETCD_HOST/ETCD_PORT  the etcd to use instead of a local one
#   BENCH_ETCD_BASE_PORT  client port of the local etcd (default 14379; its peer port is the next one)
#   BENCH_JAVA_OPTS       extra JVM flags for the bench JVM itself (after the defaults -XX:+UseSerialGC -Xms64m -Xmx512m)
#   BENCH_SERVER_JAVA_OPTS  extra JVM flags for the monitors it starts, after run_server.sh's (split on spaces),
#                         e.g. -Xlog:gc:file=/tmp/monitor-gc.log
# The results table goes to stdout and to bench-results.json (--json FILE); progress goes to stderr.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BENCH_JAR="$REPO/monitor-bench/target/monitor-bench.jar"
BASE_PORT="${BENCH_ETCD_BASE_PORT:-14379}"
ETCD_DIR=""
AGENT_COPY=""

# Builds the three jars with Maven unless they are all there.
ensure_bench_jars() {
  [[ -f $AGENT_JAR && -f $SERVER_JAR && -f $BENCH_JAR ]] && return 0
  have mvn || die "a jar is missing ($AGENT_JAR, $SERVER_JAR or $BENCH_JAR) and mvn is not installed (Debian: apt-get install -y maven)"
  echo "[Setup] Building the jars: mvn -B -q -DskipTests package" >&2
  (cd "$REPO" && mvn -B -q -DskipTests package) >&2
  [[ -f $AGENT_JAR && -f $SERVER_JAR && -f $BENCH_JAR ]] || die "the Maven build finished but a jar is missing"
}

# Stops the local etcd this script started and deletes its folder (data and log), and the agent's copy.
cleanup() {
  local rc=$?
  if [[ -n $ETCD_DIR ]]; then
    LOCAL_ETCD_DIR="$ETCD_DIR" LOCAL_ETCD_BASE_PORT="$BASE_PORT" "$REPO/scripts/local-etcd.sh" stop || true
    rm -rf "$ETCD_DIR"
  fi
  [[ -z $AGENT_COPY ]] || rm -rf "$AGENT_COPY"
  exit "$rc"
}

# Copies the agent jar and its argument file into AGENT_COPY and builds the copy's class-data archive there
# (scripts/cds-archive.sh, about 6 s; not with CDS=off or AGENT_CDS=off). A run compares two variants over tens of
# minutes on a machine where others rebuild monitor-agent: the copy cannot change under it, and its archive is
# current (the one in target/ is left stale by every build with -Dcds.skip, and a stale one is ignored by the JVM).
copy_agent() {
  AGENT_COPY="$(mktemp -d "${TMPDIR:-/tmp}/bench-agent.XXXXXX")"
  cp "$AGENT_JAR" "$AGENT_COPY/monitor-agent.jar"
  cp "$AGENT_ARGFILE" "$AGENT_COPY/agent.jvm"
  BENCH_AGENT_JVM_FLAGS="@$AGENT_COPY/agent.jvm"
  BENCH_AGENT_TLS_JVM_FLAGS="$BENCH_AGENT_JVM_FLAGS"
  [[ ${CDS:-on} != off && ${AGENT_CDS:-on} != off ]] || return 0
  echo "[Setup] Building the class-data archives of the agent's copy in $AGENT_COPY (plaintext and TLS)" >&2
  "$REPO/scripts/cds-archive.sh" agent --jar "$AGENT_COPY/monitor-agent.jar" --argfile "$AGENT_COPY/agent.jvm" \
    --dir "$AGENT_COPY" || true
  if [[ -f $AGENT_COPY/agent-host.jvm ]]; then
    BENCH_AGENT_JVM_FLAGS+=$'\n'"@$AGENT_COPY/agent-host.jvm"
    BENCH_AGENT_TLS_JVM_FLAGS=$BENCH_AGENT_JVM_FLAGS
  fi
  if [[ -f $AGENT_COPY/agent-tls-host.jvm ]]; then
    BENCH_AGENT_TLS_JVM_FLAGS="@$AGENT_COPY/agent.jvm"$'\n'"@$AGENT_COPY/agent-tls-host.jvm"
  fi
}

# True when --agent-jar is among the arguments.
agent_jar_given() {
  local arg
  for arg in "$@"; do
    case "$arg" in --agent-jar | --agent-jar=*) return 0 ;; esac
  done
  return 1
}

needs_etcd() {
  local arg
  [[ $# -gt 0 ]] || return 1
  for arg in "$@"; do
    case "$arg" in -h | --help | -V | --version | help) return 1 ;; esac
  done
}

if [[ ${1:-} == start-stop ]]; then
  require_java17
  if ! compgen -G "$REPO/monitor-dist/target/etcd-monitor-agent_*_all.deb" >/dev/null ||
    ! compgen -G "$REPO/monitor-dist/target/etcd-monitor-*.tar.gz" >/dev/null; then
    have mvn || die "the packages are missing and mvn is not installed (Debian: apt-get install -y maven)"
    echo "[Setup] Building the jars and packages: mvn -B -q -DskipTests -DskipITs package" >&2
    (cd "$REPO" && mvn -B -q -DskipTests -DskipITs package) >&2
  fi
  exec bash "$REPO/monitor-dist/src/bench/start-stop.sh" "${@:2}"
fi
require_java17
ensure_bench_jars
trap cleanup EXIT
BENCH_AGENT_JVM_FLAGS="" BENCH_AGENT_TLS_JVM_FLAGS=""
if [[ ${1:-} == tls ]] && needs_etcd "$@"; then
  # The tls bench starts its own plaintext and TLS etcd (monitor-common's test support, openssl certificates).
  ensure_etcd
  have openssl || apt_install openssl
  if ! agent_jar_given "$@"; then
    copy_agent
    set -- tls --agent-jar "$AGENT_COPY/monitor-agent.jar" "${@:2}"
  fi
elif needs_etcd "$@" && [[ -z $(env_endpoints) ]]; then
  ETCD_DIR="$(mktemp -d "${TMPDIR:-/tmp}/bench-etcd.XXXXXX")"
  exports="$(LOCAL_ETCD_DIR="$ETCD_DIR" LOCAL_ETCD_BASE_PORT="$BASE_PORT" "$REPO/scripts/local-etcd.sh" start 1)" ||
    die "could not start a local etcd on 127.0.0.1:$BASE_PORT (see above): choose another port with" \
      "BENCH_ETCD_BASE_PORT=24379, or point ETCD_ENDPOINTS at a test etcd"
  eval "$exports"
  export ETCD_ENDPOINTS
  BENCH_ETCD_PID="$(<"$ETCD_DIR/m0.pid")"
  export BENCH_ETCD_PID
  echo "[Setup] Local etcd at $ETCD_ENDPOINTS (pid $BENCH_ETCD_PID); it is stopped and deleted at the end" >&2
fi
# The agents and monitors it starts run with scripts/run_agent.sh's and run_server.sh's flags and class-data
# archives (built now if stale) and MALLOC_ARENA_MAX, so the figures are those of the processes as shipped.
if [[ -z $BENCH_AGENT_JVM_FLAGS ]]; then
  cds_option agent
  BENCH_AGENT_JVM_FLAGS="$(printf '%s\n' "${AGENT_JVM_FLAGS[@]}" "${CDS_OPTION[@]}")"
  # What an agent given TLS options gets from run_agent.sh: the archive trained with TLS, when there is one.
  cds_option agent --cacert
  BENCH_AGENT_TLS_JVM_FLAGS="$(printf '%s\n' "${AGENT_JVM_FLAGS[@]}" "${CDS_OPTION[@]}")"
fi
cds_option server
# shellcheck disable=SC2086
BENCH_SERVER_JVM_FLAGS="$(printf '%s\n' "${SERVER_JVM_FLAGS[@]}" "${CDS_OPTION[@]}" ${BENCH_SERVER_JAVA_OPTS:-})"
export BENCH_AGENT_JVM_FLAGS BENCH_AGENT_TLS_JVM_FLAGS BENCH_SERVER_JVM_FLAGS
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# The bench JVM's own flags: an explicit heap (10,000 simulated agents need well under 100 MB of it) and the
# serial collector, so that no GC threads compete with etcd and the monitor on a small machine.
# BENCH_JAVA_OPTS comes after them (the last flag wins) and is split on spaces on purpose: it holds several flags.
BENCH_JVM_FLAGS=(-XX:+UseSerialGC -Xms64m -Xmx512m)
# shellcheck disable=SC2086
java "${BENCH_JVM_FLAGS[@]}" ${BENCH_JAVA_OPTS:-} -jar "$BENCH_JAR" "$@"
