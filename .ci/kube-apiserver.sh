#!/usr/bin/env bash
# Provides a real Kubernetes API server (v1.20.2) for the tests of operator/kube-test and the modules using it.
#
# No Docker and no kube binaries can be downloaded here, so the API server is built from Debian bookworm's
# source package `kubernetes` (the full upstream v1.20.2 tree with vendor/); etcd and kubectl are Debian's
# binaries. Everything lands in a cache OUTSIDE the work tree, laid out as io.fabric8:kube-api-test expects:
#
#   ${SURGE_KUBE_DIR:-$HOME/.cache/surge/kube}/k8s/1.20.2-linux-amd64/{kube-apiserver,etcd,kubectl}
#
# Idempotent: when the three binaries are present and report the right versions it does nothing.
# Needs root (apt-get) only when it has to build.
set -Eeuo pipefail

K8S_VERSION=1.20.2
SOURCE_VERSION=1.20.5+really1.20.2-1.1+deb12u1
CACHE=${SURGE_KUBE_DIR:-$HOME/.cache/surge/kube}
BIN=$CACHE/k8s/$K8S_VERSION-linux-amd64
# The real etcd lives outside the layout's binary names; `etcd` in the layout is the loopback wrapper.
REAL_ETCD=$CACHE/debian/etcd
SOURCES_FILE=/etc/apt/sources.list.d/surge-bookworm-src.sources

say() { echo "kube-apiserver.sh: $*"; }
fail() { echo "kube-apiserver.sh: FAILED: $*" >&2; exit 1; }
trap 'fail "command failed (exit $?) at line $LINENO: $BASH_COMMAND"' ERR

apiserver_ok() { [[ -x $BIN/kube-apiserver ]] && "$BIN/kube-apiserver" --version 2>/dev/null | grep -qx "Kubernetes v$K8S_VERSION"; }
etcd_ok() { [[ -x $BIN/etcd && -x $REAL_ETCD ]] && "$BIN/etcd" --version 2>/dev/null | grep -q '^etcd Version: 3\.4\.'; }
kubectl_ok() { [[ -x $BIN/kubectl ]] && "$BIN/kubectl" version --client --short 2>/dev/null | grep -q "v1\.20\."; }

if apiserver_ok && etcd_ok && kubectl_ok; then
  say "present in $BIN (kube-apiserver v$K8S_VERSION, etcd 3.4, kubectl 1.20); nothing to do"
  exit 0
fi

[[ $(uname -m) == x86_64 ]] || fail "only linux-amd64 is supported (this is $(uname -m))"
[[ $(id -u) == 0 ]] || fail "must run as root to install build packages with apt-get (binaries missing in $BIN)"
mkdir -p "$BIN" "$CACHE/debian"
WORK=$(mktemp -d "$CACHE/build.XXXXXX")
# The build tree (sources, Go build cache: several GB) goes, whatever happens.
trap 'rm -rf "$WORK"' EXIT

export DEBIAN_FRONTEND=noninteractive
if [[ ! -f $SOURCES_FILE ]]; then
  say "adding the deb-src line for bookworm main in $SOURCES_FILE"
  cat >"$SOURCES_FILE" <<'EOF'
# Added by Surge's .ci/kube-apiserver.sh: sources of `kubernetes` and `golang-github-modern-go-reflect2`.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
if ! apt-cache showsrc kubernetes 2>/dev/null | grep -q "^Version: $SOURCE_VERSION$"; then
  say "apt-get update"
  apt-get update -qq
fi

# etcd and kubectl are unpacked from their .debs rather than installed: installing etcd-server would
# start a system etcd, and kubernetes-client's /usr/bin/kubectl may clash with another kubectl package.
# apt downloads as user _apt, which cannot enter a root-only home; root downloads instead (no warning).
APT_AS_ROOT=(-o APT::Sandbox::User=root)
if ! etcd_ok; then
  say "fetching Debian's etcd-server"
  (cd "$WORK" && apt-get "${APT_AS_ROOT[@]}" download -qq etcd-server)
  dpkg-deb -x "$WORK"/etcd-server_*.deb "$WORK/etcd-deb"
  install -m 755 "$WORK/etcd-deb/usr/bin/etcd" "$REAL_ETCD"
  # kube-api-test starts etcd listening on 0.0.0.0; keep it on loopback by rewriting the URLs it passes.
  cat >"$BIN/etcd" <<'EOF'
#!/usr/bin/env bash
# Loopback wrapper written by .ci/kube-apiserver.sh: runs Debian's etcd (../../debian/etcd from here) with every
# 0.0.0.0 URL bound to 127.0.0.1. exec: the caller's process handle is etcd itself.
args=()
for arg in "$@"; do args+=("${arg//0.0.0.0/127.0.0.1}"); done
exec "$(dirname "$(readlink -f "$0")")/../../debian/etcd" "${args[@]}"
EOF
  chmod 755 "$BIN/etcd"
  etcd_ok || fail "etcd in $BIN does not answer --version with 3.4"
  say "etcd: $("$BIN/etcd" --version | head -1)"
fi

if ! kubectl_ok; then
  say "fetching Debian's kubernetes-client"
  (cd "$WORK" && apt-get "${APT_AS_ROOT[@]}" download -qq kubernetes-client)
  dpkg-deb -x "$WORK"/kubernetes-client_*.deb "$WORK/kubectl-deb"
  install -m 755 "$WORK/kubectl-deb/usr/bin/kubectl" "$BIN/kubectl"
  kubectl_ok || fail "kubectl in $BIN does not answer version --client with v1.20"
  say "kubectl: $("$BIN/kubectl" version --client --short)"
fi

if ! apiserver_ok; then
  say "installing build packages: golang-go make rsync dpkg-dev"
  apt-get install -y -qq --no-install-recommends golang-go make rsync dpkg-dev >/dev/null
  say "go: $(go version)"

  say "fetching the source of kubernetes $SOURCE_VERSION and golang-github-modern-go-reflect2"
  (cd "$WORK" && apt-get "${APT_AS_ROOT[@]}" source -qq "kubernetes=$SOURCE_VERSION" golang-github-modern-go-reflect2 >/dev/null)
  SRC=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'kubernetes-*')
  REFLECT2=$(find "$WORK" -mindepth 1 -maxdepth 1 -type d -name 'golang-github-modern-go-reflect2-*')
  [[ -d $SRC/vendor && -f $SRC/Makefile ]] || fail "no upstream tree with vendor/ in $SRC"

  # reflect2 1.0.1 (vendored) reads runtime internals that moved in Go 1.18; 1.0.2 is the upstream fix.
  say "replacing vendored github.com/modern-go/reflect2 with $(basename "$REFLECT2")"
  rm -rf "$SRC/vendor/github.com/modern-go/reflect2"
  rsync -a --exclude debian --exclude .pc --exclude '.git*' --exclude '*_test.go' --exclude tests \
    "$REFLECT2/" "$SRC/vendor/github.com/modern-go/reflect2/"

  say "building kube-apiserver with upstream's make (generates OpenAPI code first; takes minutes)"
  # Offline and pinned: everything comes from vendor/, the version is stamped as upstream's release.
  (
    cd "$SRC"
    export GOPROXY=off GOFLAGS=-mod=vendor GOCACHE="$WORK/gocache" GOPATH="$WORK/gopath" \
      KUBE_GIT_VERSION="v$K8S_VERSION" KUBE_GIT_TREE_STATE=clean KUBE_GIT_COMMIT=faecb196815e248d3ecfb03c680a4507229c2a56
    make WHAT=cmd/kube-apiserver
  )
  install -m 755 "$SRC/_output/bin/kube-apiserver" "$BIN/kube-apiserver"
  apiserver_ok || fail "built kube-apiserver does not answer --version with Kubernetes v$K8S_VERSION"
  say "kube-apiserver: $("$BIN/kube-apiserver" --version)"
fi

say "ready in $BIN"
