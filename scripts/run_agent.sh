#!/usr/bin/env bash
# Runs the node agent (heartbeat + config watcher) with lean JVM flags (AGENT_JVM_FLAGS in lib.sh).
#   scripts/run_agent.sh [heartbeat|config-watch] [--node NODE] [--endpoints host:port,...] [--ttl SECONDS]
# Environment: NODE_NAME, ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, HEARTBEAT_TTL, JAVA_OPTS (extra JVM flags),
#   CDS=off (or AGENT_CDS=off) to run without the class-data archive (monitor-agent/target/monitor-agent.jsa).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
ensure_jars

# The class-data archive: used when it matches this java, jar and flags; otherwise built now (lib.sh).
cds_option agent
# glibc gives each thread that allocates its own malloc arena (up to 8 per core); two are plenty here
# (-0.6 to -1.3 MB RSS in two comparisons).
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
# JAVA_OPTS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
exec java "${AGENT_JVM_FLAGS[@]}" "${CDS_OPTION[@]}" ${JAVA_OPTS:-} -jar "$AGENT_JAR" "$@"
