#!/usr/bin/env bash
# Assembles prometheus-operator/kube-prometheus's example.jsonnet as a Tanka repository, from
# local copies of kube-prometheus and of every dependency its jsonnetfile.lock.json pins.
# Nothing of those projects is committed here; this script only copies from local checkouts.
#
# Usage:
#   KUBE_PROMETHEUS_SRC=DIR DEPS_DIR=DIR [TANKA_SRC=DIR] hack/realworld/assemble.sh [--with-tanka-examples] OUT
#
# Inputs:
#   KUBE_PROMETHEUS_SRC  a checkout of https://github.com/prometheus-operator/kube-prometheus
#                        (git clone https://github.com/prometheus-operator/kube-prometheus; the
#                        commit used is recorded in OUT/SOURCES).
#   DEPS_DIR             a directory holding one checkout per git remote of the lock file, named
#                        by its jsonnet-bundler remote path (host/org/repo, without .git), each at
#                        the lock file's "version" commit, e.g.
#                          git clone https://github.com/brancz/kubernetes-grafana \
#                            "$DEPS_DIR/github.com/brancz/kubernetes-grafana"
#                          git -C "$DEPS_DIR/github.com/brancz/kubernetes-grafana" checkout <version>
#                        Run `hack/realworld/assemble.sh --list` to print every remote, subdir,
#                        version and sum the lock file pins (the commands above for each).
#                        Alternatively `jb install` in the kube-prometheus checkout fills its
#                        vendor/ directory, which has the same layout: DEPS_DIR=$KUBE_PROMETHEUS_SRC/vendor
#                        works too (subdirs then already sit at host/org/repo/subdir).
#   TANKA_SRC            a checkout of https://github.com/grafana/tanka; with --with-tanka-examples
#                        each repository under its examples/ (each has its own environments/,
#                        lib/ and jsonnetfile.json: a Tanka root of its own) is copied to
#                        OUT/tanka-examples/<name>, its vendor/ filled from DEPS_DIR as above
#                        (examples/prom-grafana pins grafana/jsonnet-libs's ksonnet-util and
#                        jsonnet-libs/k8s-libsonnet's 1.21).
#
# Output (OUT must not exist or be empty): a Tanka repository
#   OUT/jsonnetfile.json, OUT/jsonnetfile.lock.json   kube-prometheus's, copied
#   OUT/vendor/<remote path>/<subdir>                 each locked dependency, copied from DEPS_DIR
#   OUT/vendor/<name>                                 symlink for entries with a "name" (legacy import)
#   OUT/vendor/kube-prometheus                        the local dependency jsonnet/kube-prometheus
#   OUT/environments/kube-prometheus/{main.jsonnet,example.jsonnet,spec.json}
#   OUT/tanka-examples/<name>/                        with --with-tanka-examples
#   OUT/SOURCES                                        what was copied from where, at which commit
# The environment's main.jsonnet imports example.jsonnet, whose value is an object of file name ->
# Kubernetes object; Tanka extracts the objects from any nesting, so it is returned unchanged.
# Requires jq.
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

with_tanka=false
list=false
out=
while [ $# -gt 0 ]; do
  case $1 in
    --with-tanka-examples) with_tanka=true; shift ;;
    --list) list=true; shift ;;
    -h|--help) usage ;;
    -*) echo "assemble: unknown flag $1" >&2; usage ;;
    *) [ -z "$out" ] || usage; out=$1; shift ;;
  esac
done

kp=${KUBE_PROMETHEUS_SRC:?assemble: set KUBE_PROMETHEUS_SRC to a kube-prometheus checkout}
lock=$kp/jsonnetfile.lock.json
[ -f "$lock" ] || { echo "assemble: $lock not found" >&2; exit 1; }
command -v jq >/dev/null || { echo "assemble: jq is required" >&2; exit 1; }

# remote path of a jsonnet-bundler git source: https://github.com/org/repo.git -> github.com/org/repo
remote_path() { local r=${1#*://}; r=${r%.git}; printf '%s\n' "${r%/}"; }

# entries LOCK: one line per git dependency of a jsonnetfile.lock.json: remote, subdir ("." when
# empty), version, sum ("-" when none), name ("-" when none).
entries() {
  jq -r '.dependencies[] | select(.source.git != null)
    | [.source.git.remote, (if (.source.git.subdir // "") == "" then "." else .source.git.subdir end),
       .version, (.sum // "-"), (.name // "-")] | @tsv' "$1"
}

if $list; then
  entries "$lock" | while IFS=$'\t' read -r remote subdir version sum name; do
    printf '%s\tsubdir=%s\tversion=%s\tsum=%s\tname=%s\n' "$remote" "$subdir" "$version" "$sum" "$name"
    # shellcheck disable=SC2016 # $DEPS_DIR is printed for the reader to expand
    printf '  git clone %s "$DEPS_DIR/%s" && git -C "$DEPS_DIR/%s" checkout %s\n' \
      "$remote" "$(remote_path "$remote")" "$(remote_path "$remote")" "$version"
  done
  exit 0
fi

[ -n "$out" ] || usage
deps=${DEPS_DIR:?assemble: set DEPS_DIR to the directory of dependency checkouts}
if [ -e "$out" ] && [ -n "$(ls -A "$out" 2>/dev/null)" ]; then
  echo "assemble: $out exists and is not empty" >&2; exit 2
fi
mkdir -p "$out/vendor" "$out/environments/kube-prometheus"
out=$(cd "$out" && pwd)

# commit_of DIR: the commit checked out in DIR when DIR is the top of a git checkout.
commit_of() {
  if [ -e "$1/.git" ]; then git -C "$1" rev-parse HEAD 2>/dev/null || echo unknown; else echo unknown; fi
}

echo "kube-prometheus https://github.com/prometheus-operator/kube-prometheus $(commit_of "$kp")" > "$out/SOURCES"

# vendor_lock LOCK VENDOR: copies every git dependency of LOCK from $deps into VENDOR following
# jsonnet-bundler's layout (VENDOR/<remote path>/<subdir>, plus VENDOR/<name> -> it when the entry
# has a name), records each in $out/SOURCES and counts the ones absent from $deps in $missing.
missing=0
vendor_lock() {
  local lock_file=$1 vendor=$2 remote subdir version sum name rp sub src dst have note
  while IFS=$'\t' read -r remote subdir version sum name; do
    rp=$(remote_path "$remote")
    sub=
    [ "$subdir" = . ] || sub=/$subdir
    src=$deps/$rp$sub
    dst=$vendor/$rp$sub
    if [ ! -d "$src" ]; then
      echo "assemble: missing $src ($remote subdir $subdir at $version)" >&2
      missing=$((missing + 1)); continue
    fi
    mkdir -p "$dst"
    cp -R "$src/." "$dst/"
    rm -rf "$dst/.git"
    have=$(commit_of "$deps/$rp")
    note=
    [ "$have" = unknown ] || [ "$have" = "$version" ] || note=" (lock pins $version)"
    echo "${vendor#"$out"/}/$rp$sub $remote $have$note sum=$sum" >> "$out/SOURCES"
    if [ "$name" != - ]; then
      ln -sfn "$rp$sub" "$vendor/$name"
    fi
  done < <(entries "$lock_file")
}
vendor_lock "$lock" "$out/vendor"
[ "$missing" -eq 0 ] || { echo "assemble: $missing dependencies missing under $deps" >&2; exit 1; }

# Local dependencies (jsonnet/kube-prometheus) are vendored under their directory's base name.
while IFS= read -r dir; do
  mkdir -p "$out/vendor/$(basename "$dir")"
  cp -R "$kp/$dir/." "$out/vendor/$(basename "$dir")/"
done < <(jq -r '.dependencies[] | select(.source.local != null) | .source.local.directory' "$lock")

cp "$kp/jsonnetfile.json" "$lock" "$out/"
env=$out/environments/kube-prometheus
cp "$kp/example.jsonnet" "$env/example.jsonnet"
cat > "$env/main.jsonnet" <<'JSONNET'
// kube-prometheus's example.jsonnet: an object of file name -> Kubernetes object.
import 'example.jsonnet'
JSONNET
cat > "$env/spec.json" <<'JSON'
{
  "apiVersion": "tanka.dev/v1alpha1",
  "kind": "Environment",
  "metadata": {
    "name": "environments/kube-prometheus"
  },
  "spec": {
    "apiServer": "https://127.0.0.1:6443",
    "namespace": "monitoring",
    "resourceDefaults": {},
    "expectVersions": {}
  }
}
JSON

if $with_tanka; then
  tanka=${TANKA_SRC:?assemble: --with-tanka-examples needs TANKA_SRC, a grafana/tanka checkout}
  for ex in "$tanka"/examples/*/; do
    name=$(basename "$ex")
    mkdir -p "$out/tanka-examples/$name"
    cp -R "$ex." "$out/tanka-examples/$name/"
    # Its dependencies, from the same DEPS_DIR when there; a missing one only warns, as the
    # kube-prometheus environment does not need them.
    if [ -f "$ex/jsonnetfile.lock.json" ]; then
      missing=0
      vendor_lock "$ex/jsonnetfile.lock.json" "$out/tanka-examples/$name/vendor"
      [ "$missing" -eq 0 ] || echo "assemble: tanka-examples/$name: $missing dependencies missing; its environments will not render" >&2
    fi
  done
  echo "tanka-examples https://github.com/grafana/tanka $(commit_of "$tanka")" >> "$out/SOURCES"
fi
echo "assemble: wrote $out" >&2
