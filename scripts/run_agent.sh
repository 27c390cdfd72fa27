#!/usr/bin/env bash
# Runs the node agent (heartbeat + config watcher) with lean JVM flags.
#   scripts/run_agent.sh [heartbeat|config-watch] [--node NODE] [--endpoints host:port,...] [--ttl SECONDS]
# Environment: NODE_NAME, ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, HEARTBEAT_TTL, JAVA_OPTS (extra JVM flags).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
ensure_jars
# JAVA_OPTS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
exec java -XX:+UseSerialGC -Xss256k -XX:TieredStopAtLevel=1 -Xms16m -Xmx64m ${JAVA_OPTS:-} -jar "$AGENT_JAR" "$@"
