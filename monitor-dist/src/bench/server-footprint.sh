#!/usr/bin/env bash
# Measures the monitor's RSS and idle CPU per JVM flag set: one local etcd, two agents (scripts/run_agent.sh),
# one monitor per flag set with HTTP on (its /metrics and /api/v1/nodes read every 15 s, as a scraper would);
# RSS 60 s after start, CPU over seconds 30-60 (% of one core). Each round starts every flag set at once;
# ROUNDS rounds (default 3), the median printed per set.
#   monitor-dist/src/bench/server-footprint.sh            (from the repository root, jars built)
set -euo pipefail
REPO="$(cd "${BASH_SOURCE[0]%/*}/../../.." && pwd)"
JAR="$REPO/monitor-server/target/monitor-server.jar"
JSA="-XX:SharedArchiveFile=$REPO/monitor-server/target/monitor-server.jsa"
ROUNDS="${ROUNDS:-3}"
PORT="${FOOTPRINT_ETCD_PORT:-16379}"
declare -A SETS=(
  [a-today]="-XX:+UseSerialGC -Xms32m -Xmx256m $JSA"
  [b-c1]="-XX:+UseSerialGC -Xms32m -Xmx256m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 $JSA"
  [c-xss-xms8]="-XX:+UseSerialGC -Xms8m -Xmx256m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 $JSA"
  [d-perf-netty]="-XX:+UseSerialGC -Xms8m -Xmx256m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UsePerfData -Dio.netty.allocator.type=unpooled $JSA"
  [e-server.jvm]="@$REPO/monitor-server/src/main/jvm/server.jvm $JSA"
  [f-e+arena2+trim]="@$REPO/monitor-server/src/main/jvm/server.jvm @$REPO/monitor-server/target/server-host.jvm"
)
work="$(mktemp -d)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  LOCAL_ETCD_DIR="$work/etcd" LOCAL_ETCD_BASE_PORT="$PORT" "$REPO/scripts/local-etcd.sh" stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
eval "$(LOCAL_ETCD_DIR="$work/etcd" LOCAL_ETCD_BASE_PORT="$PORT" "$REPO/scripts/local-etcd.sh" start 1)"
export ETCD_ENDPOINTS
for n in 1 2; do
  NODE_NAME="fp-agent-$n" "$REPO/scripts/run_agent.sh" >/dev/null 2>&1 &
  pids+=($!)
done
ticks="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ s = $0; sub(/.*\) /, "", s); split(s, f, " "); print f[12] + f[13] }' "/proc/$1/stat"; }
for round in $(seq "$ROUNDS"); do
  declare -A mon=() http=()
  i=0
  for set in "${!SETS[@]}"; do
    i=$((i + 1))
    http[$set]="127.0.0.1:$((PORT + 100 + i))"
    extra=()
    [[ $set == f-* ]] && extra=(env MALLOC_ARENA_MAX=2)
    # shellcheck disable=SC2086
    "${extra[@]}" java ${SETS[$set]} -jar "$JAR" --http "${http[$set]}" >/dev/null 2>"$work/$set.err" &
    mon[$set]=$!
    pids+=($!)
  done
  declare -A c30=()
  for t in $(seq 1 60); do
    sleep 1
    if ((t % 15 == 0)); then
      for set in "${!SETS[@]}"; do
        curl -m 5 -fsS -o /dev/null "http://${http[$set]}/metrics" || true
        curl -m 5 -fsS -o /dev/null "http://${http[$set]}/api/v1/nodes" || true
      done
    fi
    if ((t == 30)); then
      for set in "${!SETS[@]}"; do c30[$set]="$(cpu_ticks "${mon[$set]}")"; done
    fi
  done
  for set in "${!SETS[@]}"; do
    rss="$(awk '/VmRSS/ { print $2 }' "/proc/${mon[$set]}/status")"
    cpu="$(awk -v a="${c30[$set]}" -v b="$(cpu_ticks "${mon[$set]}")" -v hz="$ticks" 'BEGIN { printf "%.2f", (b - a) / hz / 30 * 100 }')"
    echo "$set $rss $cpu" >>"$work/results"
    echo "round $round: $set rss=$((rss / 1024)) MB cpu=$cpu %" >&2
    kill "${mon[$set]}"
  done
  wait "${mon[@]}" 2>/dev/null || true
  grep -h "warning" "$work"/*.err | sort | uniq -c | head -5 >&2 || true
done
echo "flag set | RSS MB (median of $ROUNDS) | CPU % of a core, s 30-60 (median)"
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for set in $(printf '%s\n' "${!SETS[@]}" | sort); do
  rss="$(awk -v s="$set" '$1 == s { print $2 }' "$work/results" | median)"
  cpu="$(awk -v s="$set" '$1 == s { print $3 }' "$work/results" | median)"
  echo "$set | $((rss / 1024)) | $cpu"
done
echo "flags:"
for set in $(printf '%s\n' "${!SETS[@]}" | sort); do echo "  $set: ${SETS[$set]}"; done
