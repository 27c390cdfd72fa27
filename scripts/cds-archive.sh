#!/usr/bin/env bash
# Decides, once, what an application's JVM gets on top of its argument file (agent.jvm or server.jvm) on
# this host, and writes it to <dir>/<app>-host.jvm, itself a JDK argument file:
#   - the options that only some JDKs know (-XX:TrimNativeHeapInterval: JDK 17.0.9+ and 21.0.1+), and
#   - -XX:SharedArchiveFile=<dir>/monitor-<app>.jsa, the application's class-data archive (AppCDS, dynamic),
#     when one could be built for this java, jar and argument file and the JVM accepts it;
# and, for the agent, <dir>/agent-tls-host.jvm: the same with <dir>/monitor-agent-tls.jsa, an archive trained
# with TLS, for agents that talk TLS (the wrappers choose it when the options or the environment name TLS).
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
# The agent's second archive and host file, for agents that talk TLS.
tls_jsa="$dir/monitor-$app-tls.jsa"
tls_host="$dir/$app-tls-host.jvm"
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

# An archive: a training run with the real options, stopped with SIGTERM after 4 s; the JVM writes the
# classes it loaded when it exits. Before it replaces the old one, the JVM must accept it (-Xshare:on) and
# its checksums (VerifySharedSpaces: done once here, because a damaged archive that is not verified crashes
# the JVM, and verifying at every start would cost time).
#   train ARCHIVE TRAINING-OPTION...   0 when ARCHIVE is in place, else 1 (the reason in $log)
train() {
  local out="$1" tmp="$1.$$.tmp"
  shift
  rm -f "$tmp"
  if {
    timeout -k 20 -s TERM 4 "$java_bin" @"$argfile" "${host_opts[@]}" -XX:ArchiveClassesAtExit="$tmp" \
      -jar "$jar" "$@" || true
    [[ -s $tmp ]] && "$java_bin" @"$argfile" "${host_opts[@]}" -Xshare:on -XX:SharedArchiveFile="$tmp" \
      -XX:+VerifySharedSpaces -jar "$jar" --version
  } >>"$log" 2>&1 && mv -f "$tmp" "$out"; then
    chmod 644 "$out"
    return 0
  fi
  rm -f "$tmp" "$out"
  return 1
}

# The agent's TLS archive: agents that talk TLS load some 1,300 classes more (JSSE, X.509, netty's TLS), and
# the wrappers give them this archive instead (see tls_named in lib.sh), so that plaintext agents do not map
# classes they never use. Its training run does a real handshake with a client certificate against a loopback
# peer in the jar (TlsTrainingPeer), with throwaway keys that keytool makes in a scratch directory.
#   train_tls   0 when $tls_jsa is in place, else 1 (the reason on stderr or in $log)
train_tls() {
  local port="" i rc=1
  keys="$(mktemp -d "${TMPDIR:-/tmp}/cds-tls-training.XXXXXX")" || return 1
  if training_keys "$keys" >>"$log" 2>&1; then
    "$java_bin" @"$argfile" -cp "$jar" io.monitorlab.agent.TlsTrainingPeer "$keys" >>"$log" 2>&1 &
    peer=$!
    for ((i = 0; i < 100; i++)); do
      [[ -s $keys/port ]] && { port="$(<"$keys/port")"; break; }
      kill -0 "$peer" 2>/dev/null || break
      sleep 0.1
    done
  fi
  if [[ -n $port ]]; then
    train "$tls_jsa" --node cds-training --endpoints "https://127.0.0.1:$port" --cacert "$keys/ca.crt" \
      --cert "$keys/client.crt" --key "$keys/client.key" && rc=0
  else
    say "the TLS training peer did not start (see $log)"
  fi
  stop_training_peer
  return "$rc"
}

# The peer and its keys are gone when the script ends, whichever way (a killed install too).
keys="" peer=""
stop_training_peer() {
  [[ -z $peer ]] || { kill "$peer" 2>/dev/null; wait "$peer" 2>/dev/null || true; }
  [[ -z $keys ]] || rm -rf "$keys"
  peer="" keys=""
}

# training_keys DIR: a CA and a server and client certificate signed by it (EC P-256, valid two days), made by
# the JDK's keytool: ca.crt, server.p12 + server.crt, client.p12 + client.crt (store password "training").
training_keys() {
  local who keytool=("${java_real%/*}/keytool" -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC)
  local store=(-storetype PKCS12 -storepass training -keypass training -keyalg EC -groupname secp256r1 -validity 2)
  [[ -x ${keytool[0]} ]] || { echo "no keytool next to $java_real"; return 1; }
  "${keytool[@]}" -genkeypair -alias ca -dname CN=cds-training-ca -ext bc:c -keystore "$1/ca.p12" "${store[@]}" || return 1
  "${keytool[@]}" -exportcert -rfc -alias ca -keystore "$1/ca.p12" -storepass training -file "$1/ca.crt" || return 1
  for who in server client; do
    "${keytool[@]}" -genkeypair -alias "$who" -dname "CN=cds-training-$who" -keystore "$1/$who.p12" "${store[@]}" || return 1
    "${keytool[@]}" -certreq -alias "$who" -keystore "$1/$who.p12" -storepass training -file "$1/$who.csr" || return 1
    "${keytool[@]}" -gencert -rfc -alias ca -keystore "$1/ca.p12" -storepass training -validity 2 \
      -ext san=ip:127.0.0.1,dns:localhost -infile "$1/$who.csr" -outfile "$1/$who.crt" || return 1
  done
}

trap 'stop_training_peer; rm -f "$host.$$.tmp" "$tls_host.$$.tmp" "$jsa.$$.tmp" "$tls_jsa.$$.tmp"' EXIT
: >"$log"
archive=0 tls_archive=0
if train "$jsa" "${training[@]}"; then
  host_lines+=("# The $app's class-data archive, built for this java and jar by cds-archive.sh." -XX:SharedArchiveFile="$jsa")
  archive=1
  if [[ $app == agent ]]; then
    if train_tls; then
      tls_archive=1
    else
      say "could not build the TLS class-data archive $tls_jsa (see $log); agents that talk TLS use $jsa"
    fi
  fi
else
  say "could not build the class-data archive $jsa (see $log); the $app runs without it"
fi

# write_host FILE LINE...: the host argument file, replaced whole or not at all.
write_host() {
  local file="$1" tmp="$1.$$.tmp"
  shift
  {
    echo "# Written by cds-archive.sh for $java_real; rebuilt when the java, the jar or $app.jvm changes."
    printf '%s\n' "$@"
  } >"$tmp" && chmod 644 "$tmp" && mv -f "$tmp" "$file"
}

write_host "$host" "${host_lines[@]}" || { say "cannot write $host"; exit 1; }
if [[ $tls_archive -eq 1 ]]; then
  tls_lines=("${host_lines[@]}")
  tls_lines[-1]=-XX:SharedArchiveFile="$tls_jsa"
  tls_lines[-2]="# The $app's class-data archive for TLS (trained with a TLS handshake), built by cds-archive.sh."
  write_host "$tls_host" "${tls_lines[@]}" || { say "cannot write $tls_host"; exit 1; }
else
  rm -f "$tls_host" "$tls_jsa"
fi
if [[ $archive -eq 1 ]]; then
  echo "$stamp" >"$jsa.stamp"
else
  rm -f "$jsa.stamp"
fi
