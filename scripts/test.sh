#!/usr/bin/env bash
# Runs the tests: installs what they need when it is missing (etcd and etcdctl; python3-etcd3 for the
# interop tests; promtool from Debian's prometheus to check /metrics; chromium and chromium-driver for the
# dashboard tests, run headless; shellcheck and systemd-analyze for the package tests), then `mvn -B verify` from the repo root. Extra arguments go to Maven:
#   scripts/test.sh -Dgroups=fault
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require_java17
have mvn || die "mvn not found: install Maven (Debian: apt-get install -y maven)"
ensure_etcd
missing=()
/usr/bin/python3 -c 'import etcd3' 2>/dev/null || missing+=(python3-etcd3)
have promtool || missing+=(prometheus)
have chromium || missing+=(chromium)
have chromedriver || missing+=(chromium-driver)
have shellcheck || missing+=(shellcheck)
have systemd-analyze || missing+=(systemd)
if [[ ${#missing[@]} -gt 0 ]]; then
  apt_install "${missing[@]}"
fi

cd "$REPO"
exec mvn -B verify "$@"
