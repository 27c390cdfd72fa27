#!/usr/bin/env bash
# Runs the tests: installs what they need (etcd, etcdctl, python3-etcd3 for the interop tests)
# when it is missing, then `mvn -B verify` from the repo root. Extra arguments go to Maven:
#   scripts/test.sh -Dgroups=fault
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
have mvn || die "mvn not found: install Maven (Debian: apt-get install -y maven)"
ensure_etcd
if ! /usr/bin/python3 -c 'import etcd3' 2>/dev/null; then
  apt_install python3-etcd3
fi

cd "$REPO"
exec mvn -B verify "$@"
