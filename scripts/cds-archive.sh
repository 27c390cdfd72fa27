#!/usr/bin/env bash
# Builds an application's class-data archive (AppCDS) next to its jar, unless it is already current for
# this java, jar and flags (AGENT_JVM_FLAGS or SERVER_JVM_FLAGS in lib.sh). `mvn package` runs it after each
# jar is built; scripts/run_agent.sh and scripts/run_server.sh build it on first start if it is missing or stale.
#   scripts/cds-archive.sh agent|server [--force]
# Exit codes: 0 archive current, 1 could not build it (the application then runs without one), 2 usage.
# The agent's archive cuts its start -> heartbeat key from 809 ms to 479 ms (medians of 9) and its RSS by
# about 1 MB; the server's cuts fork -> first [Status] from about 1.0 s to 0.65-0.8 s.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage="usage: cds-archive.sh agent|server [--force]"
case "${1:-}" in
  agent | server) app="$1" ;;
  *) usage_error "$usage" ;;
esac
force=0
case "${2:-}" in
  "") ;;
  --force) force=1 ;;
  *) usage_error "$usage" ;;
esac
[[ $# -le 2 ]] || usage_error "$usage"
require_java17
cds_app "$app"
[[ -f $CDS_JAR ]] || die "$CDS_JAR is missing: build it with mvn -B -DskipTests package"
if [[ $force -eq 0 ]] && cds_current "$app"; then
  exit 0
fi
cds_build "$app"
