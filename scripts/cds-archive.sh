#!/usr/bin/env bash
# Decides, once, what an application's JVM gets on top of its argument file (agent.jvm or server.jvm) on
# this host, and writes it to <dir>/<app>-host.jvm, itself a JDK argument file:
#   - the options that only some JDKs know (-XX:TrimNativeHeapInterval: JDK 17.0.9+ and 21.0.1+), and
#   - -XX:SharedArchiveFile=<dir>/monitor-<app>.jsa, the application's class-data archive (AppCDS, dynamic),
#     when one could be built for this java, jar and argument file and the JVM accepts it.
# The run scripts and the installed wrappers then only pass @<app>-host.jvm when the file exists: nothing is
# probed at start. `mvn package` runs this after each jar is built (repository mode); the Debian packages run
# it from postinst and when a JDK changes (dpkg trigger on /usr/lib/jvm); the tarball's bin/setup runs it.
#   scripts/cds-archive.sh agent|server [--force]                       repository mode (target/ of the module)
#   cds-archive.sh agent|server --jar JAR --argfile FILE --dir DIR [--force]  installed mode
# Environment: JAVA_HOME (its bin/java, else java on PATH).
# Exit codes: 0 host file written (archive current, or none possible: the reason on stderr, the application
# runs without one), 1 the host file could not be written, 2 usage. Standalone: it sources nothing, so the
# packages ship this very file.
set -euo pipefail

usage="usage: cds-archive.sh agent|server [--jar JAR --argfile FILE --dir DIR] [--force]"
fail_usage() {
  echo "cds-archive.sh: $*" >&2
  echo "$usage" >&2
  exit 2
}

app="${1:-}"
case "$app" in
  agent | server) shift ;;
  *) fail_usage "expected agent or server, got '${app}'" ;;
esac
jar="" argfile="" dir="" force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --jar | --argfile | --dir)
      [[ $# -ge 2 ]] || fail_usage "$1 needs a value"
      case "$1" in --jar) jar="$2" ;; --argfile) argfile="$2" ;; --dir) dir="$2" ;; esac
      shift 2 ;;
    --force) force=1; shift ;;
    *) fail_usage "unknown argument '$1'" ;;
  esac
done
if [[ -z $jar && -z $argfile && -z $dir ]]; then
  repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  jar="$repo/monitor-$app/target/monitor-$app.jar"
  argfile="$repo/monitor-$app/src/main/jvm/$app.jvm"
  dir="$repo/monitor-$app/target"
fi
[[ -n $jar && -n $argfile && -n $dir ]] || fail_usage "--jar, --argfile and --dir go together"

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jsa="$dir/monitor-$app.jsa"
host="$dir/$app-host.jvm"
log="$dir/monitor-$app.jsa.log"
case "$app" in
  # The training runs: the real flags against an endpoint where nothing listens, so no etcd is touched.
  agent) training=(--node cds-training --endpoints 127.0.0.1:1) ;;
  server) training=(--endpoints 127.0.0.1:1 --http 127.0.0.1:0) ;;
esac

say() {
  echo "cds-archive.sh: $*" >&2
}

command -v "$java_bin" >/dev/null 2>&1 || { say "no java found (JAVA_HOME or PATH): install a JDK 17 or newer"; exit 1; }
[[ -f $jar ]] || { say "$jar is missing"; exit 1; }
[[ -f $argfile ]] || { say "$argfile is missing"; exit 1; }
mkdir -p "$dir"

# What the archive depends on: the java binary and its libjvm, the jar, the argument file.
java_real="$(readlink -f "$(command -v "$java_bin")")"
libjvm="$(dirname "$java_real")/../lib/server/libjvm.so"
stamp="java=$java_real libjvm=$(stat -Lc '%s:%Y' "$libjvm" 2>/dev/null || echo none)"
stamp+=" jar=$(stat -Lc '%s:%Y' "$jar") argfile=$(cksum <"$argfile" | cut -d' ' -f1)"
if [[ $force -eq 0 && -s $jsa && -f $host && -f $jsa.stamp && $(<"$jsa.stamp") == "$stamp" ]]; then
  exit 0
fi

# The JDK-dependent options, probed here once instead of at every start.
host_opts=() host_lines=()
if "$java_bin" -XX:TrimNativeHeapInterval=10000 -version >/dev/null 2>&1; then
  host_opts+=(-XX:TrimNativeHeapInterval=10000)
  host_lines+=("# glibc keeps the memory the JVM frees unless told to give it back: every 10 s (this JDK knows how)."
    "${host_opts[-1]}")
fi
major="$("$java_bin" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')"
if ! [[ $major =~ ^[0-9]+$ && $major -ge 17 ]]; then
  say "java $major at $java_real: the $app needs 17 or newer"
  exit 1
fi

# The archive: a training run with the real options, stopped with SIGTERM after 4 s; the JVM writes the
# classes it loaded when it exits. Before it replaces the old one, the JVM must accept it (-Xshare:on) and
# its checksums (VerifySharedSpaces: done once here, because a damaged archive that is not verified crashes
# the JVM, and verifying at every start would cost time).
tmp="$jsa.$$.tmp" tmp_host="$host.$$.tmp"
trap 'rm -f "$tmp" "$tmp_host"' EXIT
rm -f "$tmp"
archive=0
if {
  timeout -k 20 -s TERM 4 "$java_bin" @"$argfile" "${host_opts[@]}" -XX:ArchiveClassesAtExit="$tmp" \
    -jar "$jar" "${training[@]}" || true
  [[ -s $tmp ]] && "$java_bin" @"$argfile" "${host_opts[@]}" -Xshare:on -XX:SharedArchiveFile="$tmp" \
    -XX:+VerifySharedSpaces -jar "$jar" --version
} >"$log" 2>&1 && mv -f "$tmp" "$jsa"; then
  host_lines+=("# The $app's class-data archive, built for this java and jar by cds-archive.sh." -XX:SharedArchiveFile="$jsa")
  archive=1
else
  rm -f "$jsa"
  say "could not build the class-data archive $jsa (see $log); the $app runs without it"
fi

if ! {
  echo "# Written by cds-archive.sh for $java_real; rebuilt when the java, the jar or $app.jvm changes."
  printf '%s\n' "${host_lines[@]}"
} >"$tmp_host" || ! chmod 644 "$tmp_host" || ! mv -f "$tmp_host" "$host"; then
  say "cannot write $host"
  exit 1
fi
if [[ $archive -eq 1 ]]; then
  chmod 644 "$jsa"
  echo "$stamp" >"$jsa.stamp"
else
  rm -f "$jsa.stamp"
fi
