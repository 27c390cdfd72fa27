#!/usr/bin/env bash
# The certificates of the TLS manifests in k8s/tls/, made with openssl, and the Secrets that carry them.
#
#   k8s/tls/pki.sh init               a CA; etcd's server and peer certificates; the client certificates
#                                     CN=root, CN=monitor and CN=operator (made when missing, never replaced)
#   k8s/tls/pki.sh node NODE...       a client certificate with CN=NODE for each node's agent (made when missing)
#   k8s/tls/pki.sh secrets [NAME...]  the Secrets as YAML on stdout, for `| kubectl apply -f -`. NAME is one of
#                                     etcd-server, etcd-peer, root, monitor, operator, or a node name;
#                                     default: every certificate made so far
#
# Environment:
#   PKI_DIR         where the keys and certificates are (default ./etcd-monitor-pki). It holds the CA's key:
#                   keep it off the cluster; whoever has it can make any etcd identity, root included.
#   CERT_DAYS       validity of the certificates (default 365); CA_DAYS of the CA (default 3650)
#   CLUSTER_DOMAIN  the cluster's DNS domain (default cluster.local), for etcd's host names
#   EXTRA_SANS      more subjectAltNames for etcd's server and peer certificates, in openssl's syntax
#                   (e.g. DNS:etcd.example.com,IP:10.0.0.5); read by `init` only
#
# Keys are EC P-256 in PKCS#8 ("BEGIN PRIVATE KEY"), which etcd, etcdctl and the jars read. Each Secret has the
# keys ca.crt, tls.crt and tls.key (type kubernetes.io/tls), the layout cert-manager writes, so the manifests
# take either. Names are those of k8s/tls/*.yaml: etcd-server-tls and etcd-peer-tls in namespace etcd;
# etcd-client-root, etcd-client-monitor, etcd-client-operator and etcd-client-node-NODE in namespace monitor.
set -euo pipefail

PKI_DIR="${PKI_DIR:-./etcd-monitor-pki}"
CERT_DAYS="${CERT_DAYS:-365}"
CA_DAYS="${CA_DAYS:-3650}"
CLUSTER_DOMAIN="${CLUSTER_DOMAIN:-cluster.local}"
EXTRA_SANS="${EXTRA_SANS:-}"
# The StatefulSet in k8s/tls/etcd.yaml: 3 members etcd-N behind the headless service etcd-service in namespace etcd.
MEMBERS=3
SERVICE="etcd-service.etcd.svc.$CLUSTER_DOMAIN"
# etcd users with roles of their own (monitor-server access): no node may take these names.
RESERVED_USERS=(root monitor operator)

USAGE="usage: pki.sh init | node NODE... | secrets [etcd-server|etcd-peer|root|monitor|operator|NODE...]"

die() {
  echo "pki.sh: $*" >&2
  exit 1
}

usage_error() {
  echo "pki.sh: $*" >&2
  exit 2
}

command -v openssl >/dev/null 2>&1 || die "openssl is not installed (Debian/Ubuntu: apt-get install openssl)"

# Runs openssl quietly; a failure ends the script with one line holding what openssl said.
ossl() {
  local err
  err="$(openssl "$@" 2>&1 >/dev/null)" || die "openssl $1 failed in $PKI_DIR: ${err//$'\n'/ | }"
}

# The subjectAltNames of etcd's certificates: every member by its name under the headless service, any
# member (a wildcard, for members added later), the service, and localhost for `kubectl port-forward`.
etcd_sans() {
  local i sans=""
  for ((i = 0; i < MEMBERS; i++)); do sans+="DNS:etcd-$i.$SERVICE,"; done
  sans+="DNS:*.$SERVICE,DNS:$SERVICE,DNS:localhost,IP:127.0.0.1"
  if [[ -n $EXTRA_SANS ]]; then sans+=",$EXTRA_SANS"; fi
  printf '%s' "$sans"
}

openssl_config() {
  cat <<EOF
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ etcd ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
# clientAuth too: a member is the client of its peers, and etcd's gRPC gateway dials its own client port with it
extendedKeyUsage = serverAuth,clientAuth
subjectAltName = $(etcd_sans)
authorityKeyIdentifier = keyid
[ client ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
authorityKeyIdentifier = keyid
EOF
}

make_ca() {
  if [[ -f $PKI_DIR/ca.crt && -f $PKI_DIR/ca.key ]]; then
    echo "[PKI] CA exists: $PKI_DIR/ca.crt" >&2
    return
  fi
  [[ ! -e $PKI_DIR/ca.crt && ! -e $PKI_DIR/ca.key ]] || die "$PKI_DIR holds half a CA (ca.crt or ca.key alone): remove it or restore the other file"
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$PKI_DIR/ca.key.tmp"
  ossl req -x509 -new -config "$PKI_DIR/openssl.cnf" -extensions ca -key "$PKI_DIR/ca.key.tmp" -sha256 \
    -days "$CA_DAYS" -subj "/CN=etcd-monitor CA" -out "$PKI_DIR/ca.crt.tmp"
  mv -f "$PKI_DIR/ca.key.tmp" "$PKI_DIR/ca.key"
  mv -f "$PKI_DIR/ca.crt.tmp" "$PKI_DIR/ca.crt"
  echo "[PKI] CA made: $PKI_DIR/ca.crt (its key $PKI_DIR/ca.key stays here)" >&2
}

# issue KIND STEM CN: certificate STEM.crt with key STEM.key for CN, signed by the CA, unless STEM.crt exists.
# Written under temporary names and renamed, key first: a half-made pair is never taken for a whole one.
issue() {
  local kind="$1" stem="$2" cn="$3"
  if [[ -f $stem.crt && -f $stem.key ]]; then
    echo "[PKI] certificate CN=$cn exists: $stem.crt" >&2
    return
  fi
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$stem.key.tmp"
  ossl req -new -config "$PKI_DIR/openssl.cnf" -key "$stem.key.tmp" -subj "/CN=$cn" -out "$stem.csr.tmp"
  ossl x509 -req -in "$stem.csr.tmp" -CA "$PKI_DIR/ca.crt" -CAkey "$PKI_DIR/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -sha256 -days "$CERT_DAYS" -extfile "$PKI_DIR/openssl.cnf" -extensions "$kind" -out "$stem.crt.tmp"
  rm -f "$stem.csr.tmp"
  mv -f "$stem.key.tmp" "$stem.key"
  mv -f "$stem.crt.tmp" "$stem.crt"
  echo "[PKI] certificate CN=$cn made: $stem.crt" >&2
}

cmd_init() {
  (
    umask 077
    mkdir -p "$PKI_DIR/clients" "$PKI_DIR/nodes"
    openssl_config >"$PKI_DIR/openssl.cnf"
    make_ca
    issue etcd "$PKI_DIR/etcd-server" etcd-server
    # The CN that etcd's --peer-cert-allowed-cn requires: no client certificate can join as a member.
    issue etcd "$PKI_DIR/etcd-peer" etcd-peer
    local user
    for user in "${RESERVED_USERS[@]}"; do issue client "$PKI_DIR/clients/$user" "$user"; done
  )
}

# The node-name rule of the jars (and a Kubernetes node name fits it): letters, digits, '.', '_', '-'.
check_node() {
  local node="$1" reserved
  [[ $node =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ && ${#node} -le 253 ]] \
    || usage_error "node: NODE must be letters, digits, '.', '_' or '-' (not first), at most 253 characters, got '$node'"
  for reserved in "${RESERVED_USERS[@]}"; do
    [[ $node != "$reserved" ]] || usage_error "node: '$node' is an etcd user with another role (monitor-server access): rename the node's identity"
  done
}

cmd_node() {
  [[ -f $PKI_DIR/ca.key ]] || die "no CA in $PKI_DIR: run 'k8s/tls/pki.sh init' first"
  local node
  for node in "$@"; do check_node "$node"; done
  (
    umask 077
    mkdir -p "$PKI_DIR/nodes"
    for node in "$@"; do issue client "$PKI_DIR/nodes/$node" "$node"; done
  )
}

b64() {
  base64 <"$1" | tr -d '\n'
}

# secret NAMESPACE NAME STEM: a kubernetes.io/tls Secret with the CA and STEM.crt, STEM.key.
secret() {
  local ns="$1" name="$2" stem="$3"
  [[ -f $stem.crt && -f $stem.key ]] || die "no certificate $stem.crt: run 'k8s/tls/pki.sh init' or 'k8s/tls/pki.sh node NODE' first"
  cat <<EOF
---
apiVersion: v1
kind: Secret
metadata:
  name: $name
  namespace: $ns
  labels:
    app.kubernetes.io/part-of: etcd-monitor
type: kubernetes.io/tls
data:
  ca.crt: $(b64 "$PKI_DIR/ca.crt")
  tls.crt: $(b64 "$stem.crt")
  tls.key: $(b64 "$stem.key")
EOF
}

cmd_secrets() {
  [[ -f $PKI_DIR/ca.crt ]] || die "no CA in $PKI_DIR: run 'k8s/tls/pki.sh init' first"
  local names=("$@") name f
  if ((${#names[@]} == 0)); then
    names=(etcd-server etcd-peer "${RESERVED_USERS[@]}")
    for f in "$PKI_DIR"/nodes/*.crt; do
      [[ -e $f ]] && names+=("$(basename "$f" .crt)")
    done
  fi
  for name in "${names[@]}"; do
    case "$name" in
      etcd-server | etcd-peer) secret etcd "$name-tls" "$PKI_DIR/$name" ;;
      root | monitor | operator) secret monitor "etcd-client-$name" "$PKI_DIR/clients/$name" ;;
      *) check_node "$name"; secret monitor "etcd-client-node-$name" "$PKI_DIR/nodes/$name" ;;
    esac
  done
}

[[ $# -ge 1 ]] || usage_error "$USAGE"
case "$1" in
  init) [[ $# -eq 1 ]] || usage_error "$USAGE"; cmd_init ;;
  node) [[ $# -ge 2 ]] || usage_error "$USAGE"; shift; cmd_node "$@" ;;
  secrets) shift; cmd_secrets "$@" ;;
  -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' ;;
  *) usage_error "$USAGE" ;;
esac
