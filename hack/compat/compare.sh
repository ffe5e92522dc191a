#!/usr/bin/env bash
# Runs the same commands with Grafana Tanka's tk and with kforge on Tanka's own test repositories
# and example, and on kube-prometheus vendored from its lock file, and prints a Markdown table:
# per command, identical / identical after number formatting / different / both fail / missing in
# kforge (docs/compatibility.md explains every difference of the last recorded run).
#
# Usage:
#   TK=PATH TANKA_SRC=DIR [KP_DIR=DIR | KUBE_PROMETHEUS_SRC=DIR DEPS_DIR=DIR] \
#     [KFORGE=PATH] [WORK=DIR] [TOOLS_BIN=DIR] [PARALLEL=N] [ONLY=TEXT] hack/compat/compare.sh
#
# Inputs (nothing of them is committed here; the script copies them under WORK):
#   TK                   the tk binary (go build ./cmd/tk in a grafana/tanka checkout)
#   KFORGE               the kforge binary; unset: built from this tree into WORK
#   TANKA_SRC            grafana/tanka: a checkout, or a bare git directory (its HEAD is archived)
#   KP_DIR               kube-prometheus assembled as a Tanka repository by
#                        hack/realworld/assemble.sh, or else
#   KUBE_PROMETHEUS_SRC, DEPS_DIR  to assemble it here (see hack/realworld/assemble.sh's header;
#                        KUBE_PROMETHEUS_SRC may also be a bare git directory: its HEAD is used);
#                        Tanka's examples/prom-grafana then gets its vendor/ from DEPS_DIR too
#   TOOLS_BIN            a directory put first on PATH for tk (its helm and kustomize binaries)
#   WORK                 where inputs, outputs and per-case details go (default: a new temporary
#                        directory, kept and printed at the end)
#   PARALLEL             cases run at once (default: the number of CPUs)
#   ONLY                 run only the cases whose input or command contains this text
# The table goes to stdout, progress to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)

tk=${TK:?compare: set TK to a tk binary}
tanka_src=${TANKA_SRC:?compare: set TANKA_SRC to a grafana/tanka checkout or bare git directory}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/kforge-compat.XXXXXX")}
mkdir -p "$work"
work=$(cd "$work" && pwd)
rm -rf "$work/inputs" "$work/cases"
mkdir -p "$work/inputs"

if [ -n "${TOOLS_BIN:-}" ]; then
  export PATH="$TOOLS_BIN:$PATH"
fi

kforge=${KFORGE:-}
kforge_from=${KFORGE:-}
if [ -z "$kforge" ]; then
  echo "compare: building kforge from $repo" >&2
  # The flags users get (make build): no kustomize Go-plugin loader, static.
  (cd "$repo" && CGO_ENABLED=0 go build -tags kustomize_disable_go_plugin_support -o "$work/kforge" ./cmd/kforge)
  kforge=$work/kforge
  kforge_from="built from $repo at $(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet HEAD 2>/dev/null || echo ' with uncommitted changes')"
fi
# engines NAME BIN: Go version and go-jsonnet version a binary was built with.
engines() { go version -m "$1" 2>/dev/null | awk '/^\// {g=$2} $2 == "github.com/google/go-jsonnet" {j=$3} END {printf "%s, go-jsonnet %s", g, j}'; }

# working_copy SRC DIR: copies a checkout, or a bare git directory's HEAD, to DIR and prints the
# commit ("unknown" for a plain directory).
working_copy() {
  mkdir -p "$2"
  if [ -f "$1/HEAD" ] && [ -d "$1/objects" ]; then
    git --git-dir="$1" archive HEAD | tar -x -C "$2"
    git --git-dir="$1" rev-parse HEAD
  else
    cp -R "$1/." "$2/"
    rm -rf "$2/.git"
    git -C "$1" rev-parse HEAD 2>/dev/null || echo unknown
  fi
}

tanka=$work/inputs/tanka
tanka_commit=$(working_copy "$tanka_src" "$tanka")

# kube-prometheus: assembled here when KP_DIR is not given.
kp=
kp_commit="see ${KP_DIR:-}/SOURCES"
if [ -n "${KP_DIR:-}" ]; then
  kp=$work/inputs/kube-prometheus
  mkdir -p "$kp"
  cp -R "$KP_DIR/." "$kp/"
elif [ -n "${KUBE_PROMETHEUS_SRC:-}" ]; then
  kp=$work/inputs/kube-prometheus
  kp_commit=$(working_copy "$KUBE_PROMETHEUS_SRC" "$work/inputs/kube-prometheus-src")
  KUBE_PROMETHEUS_SRC=$work/inputs/kube-prometheus-src DEPS_DIR=${DEPS_DIR:?compare: KUBE_PROMETHEUS_SRC needs DEPS_DIR} \
    TANKA_SRC=$tanka "$repo/hack/realworld/assemble.sh" --with-tanka-examples "$kp"
fi
# Tanka's example takes its vendor/ from the assembly when it could be filled there.
if [ -n "$kp" ] && [ -d "$kp/tanka-examples/prom-grafana/vendor" ]; then
  cp -R "$kp/tanka-examples/prom-grafana/vendor" "$tanka/examples/prom-grafana/"
fi
[ -z "$kp" ] || rm -rf "$kp/tanka-examples"

# `tk tool imports` asks git, so each input is a repository of its own.
for d in "$tanka" ${kp:+"$kp"}; do
  git -C "$d" init -q
  git -C "$d" add -A
  git -C "$d" -c user.name=compat -c user.email=compat@localhost commit -q -m inputs
done

{
  echo "tk: $("$tk" --version 2>&1 | sed 's/^[0-9/]* [0-9:]* //') ($tk; $(engines "$tk"))"
  echo "kforge: $("$kforge" version 2>&1 | head -1) ($kforge_from; $(engines "$kforge"))"
  echo "tanka: $tanka_commit"
  [ -z "$kp" ] || echo "kube-prometheus: $kp_commit"
  echo "helm: $(command -v helm >/dev/null && helm version --short 2>/dev/null || echo none)"
  echo "kustomize: $(command -v kustomize >/dev/null && kustomize version 2>/dev/null || echo none)"
} | tee "$work/VERSIONS" >&2

(cd "$repo" && go build -o "$work/compat" ./hack/compat)
# Whether each vendored dependency is exactly what its lock file pins (jsonnet-bundler's sums).
: > "$work/SUMS"
for root in ${kp:+"$kp"} "$tanka/examples/prom-grafana"; do
  [ -d "$root/vendor" ] || { echo "${root#"$work"/}: no vendor/ directory" >> "$work/SUMS"; continue; }
  echo "${root#"$work"/}:" >> "$work/SUMS"
  "$work/compat" -check-sums "$root" | sed 's/^/  /' >> "$work/SUMS" || true
done
sed 's/^/compare: /' "$work/SUMS" >&2
start=$(date +%s)
"$work/compat" -tk "$tk" -kforge "$kforge" -tanka "$tanka" ${kp:+-kp "$kp"} -work "$work" \
  -parallel "${PARALLEL:-$(nproc 2>/dev/null || echo 2)}" ${ONLY:+-only "$ONLY"} | tee "$work/table.md"
echo "compare: $(($(date +%s) - start))s; details under $work" >&2
