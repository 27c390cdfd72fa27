# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AGENT_JAR="$REPO/monitor-agent/target/monitor-agent.jar"
SERVER_JAR="$REPO/monitor-server/target/monitor-server.jar"
# The agent's AppCDS archive (class metadata of the jar, parsed once): built with the jar by
# `mvn package` (the parent pom's antrun execution runs scripts/cds-archive.sh), else by run_agent.sh on first start.
AGENT_JSA="$REPO/monitor-agent/target/monitor-agent.jsa"
# The monitor server's archive, built the same way (monitor-server/pom.xml): its JVM starts in about
# 0.65 s instead of 1.0 s (fork -> first [Status] line), which is most of a cold start.
SERVER_JSA="$REPO/monitor-server/target/monitor-server.jsa"
# The server's JVM flags (k8s/monitor.yaml repeats them): serial GC, a heap that holds 10,000 nodes.
SERVER_JVM_FLAGS=(-XX:+UseSerialGC -Xms32m -Xmx256m)

# The agent's JVM flags. k8s/Dockerfile and k8s/agent.yaml repeat them: change the three together.
# Figures: agent RSS 60 s after start (median of 3) and idle CPU over minutes 1-6 (% of one core), JDK 17.0.15,
# 2-core machine, local etcd. The first five flags alone: 87.6 MB, start -> heartbeat key 923 ms, 0.38 %.
# All of them with the class-data archive (run_agent.sh): 73.7 MB, 479 ms, 0.30 %. With the agent loading fewer
# classes (JSON without ObjectMapper, Logback without XML) and the trim flag of agent_jdk_flags: 65.8 MB,
# 377 ms, 0.27 % (scripts/bench.sh footprint, docs/BENCHMARKS.md).
AGENT_JVM_FLAGS=(
  # One GC thread, no G1 remembered sets or concurrent threads; the live heap is about 7 MB.
  -XX:+UseSerialGC
  # Thread stacks: only touched pages count, so this caps rather than saves (default 1 MB: same RSS).
  -Xss256k
  # C1 only: no C2 compiler thread and arenas; start-up needs the quick compiler, not the best code.
  -XX:TieredStopAtLevel=1
  # One compiler thread instead of two: -0.7 MB, start-up unchanged.
  -XX:CICompilerCount=1
  # Heap bounds; -Xms8m -Xmx32m measured the same once -Xmn is set (74.6 vs 75.1 MB).
  -Xms16m
  -Xmx64m
  # A 2 MB young generation instead of about 5 MB: all of eden gets touched, so it is RSS (-2.2 MB).
  # Idle allocation is about 20 KB/s: a young GC every minute or two, about 1 ms each.
  -Xmn2m
  # Netty (gRPC's transport) without its pooled arenas, which hold chunks for buffers of a few hundred
  # bytes: -7.2 MB (pooled with numDirectArenas=0/numHeapArenas=0: -4.2 MB only).
  -Dio.netty.allocator.type=unpooled
  # No hsperfdata: its sampler thread woke every 50 ms, 0.07 % of a core at idle. jcmd still works;
  # jps and jstat no longer see the agent.
  -XX:-UsePerfData
  # Two JVM housekeeping timers that wake an idle JVM (diagnostic flags, hence the unlock): the monitor
  # deflation thread (every 250 ms: 0.017 % of a core) and the guaranteed cleanup safepoint (every
  # second: 0.006 %). Cleanup still happens at every GC safepoint.
  -XX:+UnlockDiagnosticVMOptions
  -XX:AsyncDeflationInterval=10000
  -XX:GuaranteedSafepointInterval=0
  # JVM warnings (e.g. an unusable class-data archive) go to stderr: stdout carries only the console lines.
  -Xlog:disable
  -Xlog:all=warning:stderr
)

# Adds to AGENT_JVM_FLAGS the flags that only some JDKs know, once per script run (one `java -version`, about
# 60 ms): glibc keeps the memory the JVM frees (C1's arenas at start-up, ...) unless it is told to give it back;
# JDK 17.0.9+ and 21.0.1+ do that every 10 s with -XX:TrimNativeHeapInterval: -0.9 to -1.5 MB RSS in two
# comparisons, idle CPU unchanged (0.166 % of a core over minutes 7-11 with and without).
agent_jdk_flags() {
  [[ -z ${AGENT_JDK_FLAGS_ADDED:-} ]] || return 0
  AGENT_JDK_FLAGS_ADDED=1
  if java -XX:TrimNativeHeapInterval=10000 -version >/dev/null 2>&1; then
    AGENT_JVM_FLAGS+=(-XX:TrimNativeHeapInterval=10000)
  fi
}

# Prints "<script>: <message>" to stderr and exits 1 (a failure at run time).
die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

# Prints a one-line usage error to stderr and exits 2.
usage_error() {
  echo "$(basename "$0"): $*" >&2
  exit 2
}

have() {
  command -v "$1" >/dev/null 2>&1
}

# True while process PID runs. A zombie counts as ended: `kill -0` would still succeed on it.
running() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  [[ ${stat%% *} != Z ]]
}

# Runs a command as root: directly, or through sudo when that needs no password; else fails.
as_root() {
  if [[ $(id -u) -eq 0 ]]; then
    "$@"
  elif have sudo && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

# Installs Debian packages when we are root (or sudo works without a password); otherwise
# prints one line naming what to install and exits 1.
apt_install() {
  as_root true || die "missing $*: install them with: sudo apt-get update && sudo apt-get install -y $*"
  echo "[Setup] Installing $* with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

# Makes sure etcd and etcdctl are on PATH (Debian: etcd-server, etcd-client).
ensure_etcd() {
  local missing=()
  have etcd || missing+=(etcd-server)
  have etcdctl || missing+=(etcd-client)
  if [[ ${#missing[@]} -gt 0 ]]; then
    apt_install "${missing[@]}"
  fi
  if [[ ${missing[0]:-} == etcd-server ]]; then
    # Where an init system runs, installing etcd-server also starts Debian's etcd service on 2379,
    # where scripts/local-etcd.sh starts its own members: stop the service we just caused.
    if [[ -d /run/systemd/system ]]; then
      as_root systemctl disable --now etcd >/dev/null 2>&1 || true
    elif have service; then
      as_root service etcd stop >/dev/null 2>&1 || true
    fi
    echo "[Setup] Installed etcd-server; its system service is left stopped (the scripts start their own etcd)" >&2
  fi
  # etcd 3.4 refuses to start on arm64 unless told that this is intended.
  if [[ $(uname -m) == aarch64 ]]; then
    export ETCD_UNSUPPORTED_ARCH=arm64
  fi
}

# Prints the major version of `java` on PATH (8 for 1.8, 17 for 17.0.x), or nothing.
java_major() {
  local version
  version="$(java -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')"
  case "$version" in
    1.*) echo "${version#1.}" | cut -d. -f1 ;;
    *) echo "${version%%[.+-]*}" ;;
  esac
}

require_java17() {
  have java || die "java not found: install a JDK 17 or newer (Debian: apt-get install -y openjdk-17-jdk-headless)"
  local major
  major="$(java_major)"
  [[ $major =~ ^[0-9]+$ && $major -ge 17 ]] ||
    die "java $major found, 17 or newer needed (Debian: apt-get install -y openjdk-17-jdk-headless)"
}

# Builds both jars with Maven unless they are already there.
ensure_jars() {
  [[ -f $AGENT_JAR && -f $SERVER_JAR ]] && return 0
  have mvn || die "$AGENT_JAR or $SERVER_JAR is missing and mvn is not installed (Debian: apt-get install -y maven)"
  echo "[Setup] Building the jars: mvn -B -q -DskipTests package" >&2
  (cd "$REPO" && mvn -B -q -DskipTests package) >&2
  [[ -f $AGENT_JAR && -f $SERVER_JAR ]] || die "the Maven build finished but $AGENT_JAR or $SERVER_JAR is missing"
}

# Prints the endpoints the way the jars resolve them from the environment
# (ETCD_ENDPOINTS, then ETCD_HOST + ETCD_PORT), or nothing when neither is set.
env_endpoints() {
  if [[ -n ${ETCD_ENDPOINTS:-} ]]; then
    echo "$ETCD_ENDPOINTS"
  elif [[ -n ${ETCD_HOST:-} ]]; then
    echo "$ETCD_HOST:${ETCD_PORT:-2379}"
  fi
}

# Class-data archives (AppCDS, dynamic: on top of the JDK's own archive), one per application jar:
# the classes' metadata is mapped from a file instead of parsed from the jar at every start. APP is
# "agent" or "server". An archive belongs to one JDK build, one jar and one set of flags; the JVM checks
# that itself (and runs without the archive, with a warning on stderr, if one changed); the stamp below
# lets the scripts notice it and build a new archive.

# Sets CDS_JAR, CDS_JSA, CDS_FLAGS (array) and CDS_TRAINING (the training run's arguments) for APP.
cds_app() {
  case "$1" in
    agent) agent_jdk_flags
      CDS_JAR="$AGENT_JAR" CDS_JSA="$AGENT_JSA" CDS_FLAGS=("${AGENT_JVM_FLAGS[@]}")
      CDS_TRAINING=(--node cds-training --endpoints 127.0.0.1:1) ;;
    server) CDS_JAR="$SERVER_JAR" CDS_JSA="$SERVER_JSA" CDS_FLAGS=("${SERVER_JVM_FLAGS[@]}")
      CDS_TRAINING=(--endpoints 127.0.0.1:1) ;;
    *) die "unknown application '$1': expected agent or server" ;;
  esac
}

# Prints what APP's archive depends on: the java binary and its libjvm, the jar, the flags.
cds_stamp() {
  local java_bin libjvm
  cds_app "$1"
  java_bin="$(readlink -f "$(command -v java)")"
  libjvm="$(dirname "$java_bin")/../lib/server/libjvm.so"
  echo "java=$java_bin libjvm=$(stat -Lc '%s:%Y' "$libjvm" 2>/dev/null || echo none)" \
    "jar=$(stat -Lc '%s:%Y' "$CDS_JAR") flags=${CDS_FLAGS[*]}"
}

# True when APP's archive exists and was built for this java, jar and flags.
cds_current() {
  local stamp
  cds_app "$1"
  stamp="$(cds_stamp "$1")"
  [[ -s $CDS_JSA && -f $CDS_JSA.stamp && $(<"$CDS_JSA.stamp") == "$stamp" ]]
}

# Builds APP's archive with a training run: the jar starts with its real flags against an endpoint where
# nothing listens (127.0.0.1:1), so no etcd is touched, and is stopped with SIGTERM after 4 s; the JVM writes
# the classes it loaded (the agent: about 2,300 of the jar's plus the JDK's, 17 MB) when it exits. Before it
# replaces the old one, the JVM must accept it (-Xshare:on) and its checksums (VerifySharedSpaces: done once
# here, because a damaged archive that is not verified crashes the JVM, and verifying at every start costs
# 25 ms). Returns 1 (after one line on stderr; details in the archive's .log) if it failed.
cds_build() {
  local stamp tmp log
  cds_app "$1"
  stamp="$(cds_stamp "$1")"
  tmp="$CDS_JSA.$$.tmp" log="$CDS_JSA.log"
  rm -f "$tmp"
  {
    timeout -k 20 -s TERM 4 java "${CDS_FLAGS[@]}" -XX:ArchiveClassesAtExit="$tmp" -jar "$CDS_JAR" "${CDS_TRAINING[@]}" || true
    [[ -s $tmp ]] && java "${CDS_FLAGS[@]}" -Xshare:on -XX:SharedArchiveFile="$tmp" -XX:+VerifySharedSpaces \
      -jar "$CDS_JAR" --version
  } >"$log" 2>&1 && mv -f "$tmp" "$CDS_JSA" && echo "$stamp" >"$CDS_JSA.stamp" && return 0
  rm -f "$tmp"
  echo "$(basename "$0"): could not build the class-data archive $CDS_JSA (see $log); the $1 runs without it" >&2
  return 1
}

# For the run scripts: sets CDS_OPTION (array) to APP's archive flag, after building the archive if it is
# missing or stale (once, about 6 s; not when another start is building it at this moment, nor when its
# folder is read-only). Empty when it is off (CDS=off, or AGENT_CDS=off for the agent) or could not be
# built: the application then just starts slower.
cds_option() {
  CDS_OPTION=()
  cds_app "$1"
  [[ ${CDS:-on} != off && ! ($1 == agent && ${AGENT_CDS:-on} == off) ]] || return 0
  if ! cds_current "$1" && [[ -w $(dirname "$CDS_JSA") ]]; then
    (
      if have flock && ! flock -n 9; then
        exit 0
      fi
      echo "[Setup] Building the $1's class-data archive (once per jar and JDK, about 6 s): $CDS_JSA" >&2
      cds_build "$1" || true
    ) 9>"$CDS_JSA.lock"
  fi
  if cds_current "$1"; then
    # shellcheck disable=SC2034 # read by the scripts that source this file
    CDS_OPTION=(-XX:SharedArchiveFile="$CDS_JSA")
  fi
}
