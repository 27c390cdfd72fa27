#!/usr/bin/env bash
# Runs the node agent (heartbeat + config watcher) with its JVM argument file (monitor-agent/src/main/jvm/agent.jvm).
#   scripts/run_agent.sh [heartbeat|config-watch] [--node NODE] [--endpoints host:port,...] [--ttl SECONDS]
# Environment: NODE_NAME, ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, HEARTBEAT_TTL, JAVA_OPTS (extra JVM flags),
#   CDS=off (or AGENT_CDS=off) to run without monitor-agent/target/agent-host.jvm (the class-data archive and
#   the options that only some JDKs know, decided once by scripts/cds-archive.sh when the jar is built).
# Nothing is probed here at start (no `java -version`, no stat): see cds_option in lib.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "${BASH_SOURCE[0]%/*}/lib.sh"

have java || die "java not found: install a JDK 17 or newer (Debian: apt-get install -y openjdk-17-jdk-headless)"
ensure_jars
cds_option agent "$@"
# glibc gives each thread that allocates its own malloc arena (up to 8 per core); two are plenty here.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# JAVA_OPTS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
exec java "${AGENT_JVM_FLAGS[@]}" "${CDS_OPTION[@]}" ${JAVA_OPTS:-} -jar "$AGENT_JAR" "$@"
