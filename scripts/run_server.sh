#!/usr/bin/env bash
# Runs the monitor server, or one of its operator commands.
#   scripts/run_server.sh [--endpoints host:port,...]
#   scripts/run_server.sh config init | config set NODE JSON | config get NODE | status
# Environment: ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, JAVA_OPTS (extra JVM flags).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
ensure_jars
# JAVA_OPTS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
exec java -XX:+UseSerialGC -Xms32m -Xmx256m ${JAVA_OPTS:-} -jar "$SERVER_JAR" "$@"
