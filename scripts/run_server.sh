#!/usr/bin/env bash
# Runs the monitor server, or one of its operator commands.
#   scripts/run_server.sh [--endpoints host:port,...]
#   scripts/run_server.sh config init | config set NODE JSON | config get NODE | status
# Environment: ETCD_ENDPOINTS or ETCD_HOST/ETCD_PORT, JAVA_OPTS (extra JVM flags),
#   CDS=off to run without the class-data archive (monitor-server/target/monitor-server.jsa).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
ensure_jars
# The class-data archive: used when it matches this java, jar and flags; otherwise built now (lib.sh).
cds_option server
# JAVA_OPTS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
exec java "${SERVER_JVM_FLAGS[@]}" "${CDS_OPTION[@]}" ${JAVA_OPTS:-} -jar "$SERVER_JAR" "$@"
