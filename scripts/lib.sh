# shellcheck shell=bash
# Shared helpers for the scripts in this folder. Source it; do not run it.

REPO="$(cd "${BASH_SOURCE[0]%/*}/.." && pwd)"
AGENT_JAR="$REPO/monitor-agent/target/monitor-agent.jar"
SERVER_JAR="$REPO/monitor-server/target/monitor-server.jar"
# The JVM options of each jar: one JDK argument file per jar, the single definition that the run scripts,
# the Debian packages, the tarball, k8s/Dockerfile and the manifests use (each option is explained there;
# monitor-it's packaging tests fail when a deployment path drifts from it).
AGENT_ARGFILE="$REPO/monitor-agent/src/main/jvm/agent.jvm"
SERVER_ARGFILE="$REPO/monitor-server/src/main/jvm/server.jvm"
# shellcheck disable=SC2034 # read by the scripts that source this file
AGENT_JVM_FLAGS=("@$AGENT_ARGFILE")
# shellcheck disable=SC2034 # read by the scripts that source this file
SERVER_JVM_FLAGS=("@$SERVER_ARGFILE")

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

# What a jar's JVM gets on this host on top of its argument file, decided once by scripts/cds-archive.sh
# (run by `mvn package` after each jar is built): target/<app>-host.jvm, an argument file with the options
# only some JDKs know and the class-data archive (AppCDS) built for this java and jar. Nothing is probed at
# start: an archive that no longer matches (another JDK) is ignored by the JVM with a warning on stderr;
# rebuild it with scripts/cds-archive.sh agent|server.

# For the run scripts: sets CDS_OPTION (array) to @<app>-host.jvm when it exists; when it does not (a jar
# built with -Dcds.skip), builds it first (once). Empty with CDS=off (or AGENT_CDS=off for the agent), or
# when it could not be built: the application then just starts slower. For the agent, the options it will
# get follow ("$@"): when they or the environment name TLS, @agent-tls-host.jvm (the archive trained with
# TLS) if it exists.
#   cds_option agent|server [APPLICATION-OPTION...]
cds_option() {
  local host="$REPO/monitor-$1/target/$1-host.jvm" app="$1"
  shift
  CDS_OPTION=()
  [[ ${CDS:-on} != off && ! ($app == agent && ${AGENT_CDS:-on} == off) ]] || return 0
  if [[ ! -f $host && -w ${host%/*} ]]; then
    echo "[Setup] Building the $app's class-data archive (once per jar and JDK): ${host%/*}/monitor-$app.jsa" >&2
    "$REPO/scripts/cds-archive.sh" "$app" || true
  fi
  if [[ $app == agent && -f ${host%-host.jvm}-tls-host.jvm ]] && tls_named "$@"; then
    host="${host%-host.jvm}-tls-host.jvm"
  fi
  if [[ -f $host ]]; then
    # shellcheck disable=SC2034 # read by the scripts that source this file
    CDS_OPTION=("@$host")
  fi
}

# Whether the options ("$@") or the environment name TLS, by the rule of TlsWarmUp.named in the jars: a
# --cacert, --cert or --key option, an https:// endpoint, ETCDCTL_CACERT, ETCDCTL_CERT or ETCDCTL_KEY set,
# or ETCD_ENDPOINTS with https://. Only a hint for choosing the class-data archive: the jar decides.
tls_named() {
  local arg
  for arg in "$@"; do
    case "$arg" in --cacert | --cacert=* | --cert | --cert=* | --key | --key=* | *https://*) return 0 ;; esac
  done
  for arg in "${ETCDCTL_CACERT:-}" "${ETCDCTL_CERT:-}" "${ETCDCTL_KEY:-}"; do
    [[ $arg != *[![:space:]]* ]] || return 0
  done
  [[ ${ETCD_ENDPOINTS:-} == *https://* ]]
}
