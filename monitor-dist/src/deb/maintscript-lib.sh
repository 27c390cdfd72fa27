# shellcheck shell=sh disable=SC2154 # pkg and app are set by the sourcing script
# Shared by the maintainer scripts of etcd-monitor-agent and etcd-monitor-server (installed as
# /usr/share/<pkg>/maintscript-lib.sh). The caller sets pkg and app. With DPKG_ROOT set (dpkg --root with
# --force-script-chrootless) every path is under it and no service of this machine is touched.

root="${DPKG_ROOT:-}"
share="$root/usr/share/$pkg"
state="$root/var/lib/$pkg"

# Writes $state/$app-host.jvm and the class-data archive for the installed JDK; never fails the install:
# without them the wrapper starts the application all the same, only slower.
decide_jvm_options() {
  mkdir -p "$state"
  if ! "$share/cds-archive.sh" "$app" --jar "$share/monitor-$app.jar" --argfile "$share/$app.jvm" \
    --dir "$state" "$@"; then
    echo "$pkg: no host JVM options written (see above); monitor-$app starts without them" >&2
  fi
}

# True when this machine runs systemd and the scripts act on it (not on a scratch root).
with_systemd() {
  [ -z "$root" ] && [ -d /run/systemd/system ]
}

service_enable_and_start() {
  with_systemd || return 0
  systemctl --system daemon-reload >/dev/null || true
  systemctl enable "$pkg.service" >/dev/null || true
  invoke start
}

service_try_restart() {
  with_systemd || return 0
  systemctl --system daemon-reload >/dev/null || true
  invoke try-restart
}

service_stop() {
  with_systemd || return 0
  invoke stop
}

# Through deb-systemd-invoke when there is one: it honours policy-rc.d (chroots, image builds).
invoke() {
  if command -v deb-systemd-invoke >/dev/null 2>&1; then
    deb-systemd-invoke "$1" "$pkg.service" >/dev/null || true
  else
    systemctl "$1" "$pkg.service" >/dev/null || true
  fi
}

# The pids of the processes whose command line holds the package's jar as one argument.
jar_pids() {
  jar="$share/monitor-$app.jar"
  for cmdline in /proc/[0-9]*/cmdline; do
    pid="${cmdline#/proc/}"
    pid="${pid%/cmdline}"
    if tr '\0' '\n' <"$cmdline" 2>/dev/null | grep -qxF "$jar"; then
      echo "$pid"
    fi
  done
}

# Stops what runs the jar outside the service too (started by hand through the wrapper): SIGTERM, up to
# 10 s (the units' TimeoutStopSec), then SIGKILL.
stop_jar_processes() {
  pids="$(jar_pids)"
  [ -n "$pids" ] || return 0
  echo "$pkg: stopping the processes that run monitor-$app.jar: $(echo "$pids" | tr '\n' ' ')" >&2
  # shellcheck disable=SC2086 # one pid per word
  kill -TERM $pids 2>/dev/null || true
  tries=0
  while [ -n "$(jar_pids)" ] && [ "$tries" -lt 100 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  pids="$(jar_pids)"
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
  fi
}
