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
# The dependencies kube-prometheus 4d719f1dea8853540b3823ab1fbe6be74a9953b3 pins (its
# jsonnetfile.lock.json; each is https://<path up to the repository>, checked out at version,
# the subdirectory after it; `--list` prints them for the checkout in use), plus its local
# jsonnet/kube-prometheus:
#   github.com/brancz/kubernetes-grafana/grafana
#     version 5698c8940b6dadca3f42107b7839557bc041761f sum l6fPvh3tW6fWot308w71QY/amrYsFPeitvz1IgJxqQA=
#   github.com/etcd-io/etcd/contrib/mixin
#     version ee043b39e1757fede7cb7f261c1b547d8b188194 sum XmXkOCriQIZmXwlIIFhqlJMa0e6qGWdxZD+ZDYaN0Po=
#   github.com/grafana/grafana/grafana-mixin
#     version 2b30af9c5def5e8de5a0bf033cb77ea6e28cd7ce sum sRjOJwJhhkCDmMQls7clo/csVix/b47W+Wc3YCzn64Y=
#   github.com/grafana/grafonnet-lib/grafonnet
#     version a1d61cce1da59c71409b99b5c7568511fec661ea sum 342u++/7rViR/zj2jeJOjshzglkZ1SY+hFNuyCBFMdc=
#   github.com/grafana/grafonnet/gen/grafonnet-latest
#     version 41e6bfcbe4ef1054298ffff8664f1354c897dd2d sum djejYCGNdtWsAd39+cHU1QNBIUKePhUyY4QNZt7XO4o=
#   github.com/grafana/grafonnet/gen/grafonnet-v10.0.0
#     version 41e6bfcbe4ef1054298ffff8664f1354c897dd2d sum xdcrJPJlpkq4+5LpGwN4tPAuheNNLXZjE6tDcyvFjr0=
#   github.com/grafana/grafonnet/gen/grafonnet-v13.0.0
#     version 41e6bfcbe4ef1054298ffff8664f1354c897dd2d sum hZfIVja9O6czp3Pg8fzqmN891FLz8nPvy2IJND5qlGw=
#   github.com/grafana/jsonnet-libs/grafana-builder
#     version 414774b1104f1fb123b5657dc81443283f696f9c sum FqEJAICz9T90PMJLW8i4HXazyWQPNzi68A8UauXa7GQ=
#   github.com/grafana/jsonnet-libs/mixin-utils
#     version 414774b1104f1fb123b5657dc81443283f696f9c sum zVkvwae4zHP6xeIoDvde/wldI6ClprFjnk50mMD9/z4=
#   github.com/jsonnet-libs/docsonnet/doc-util
#     version bf6f08ae02a51c48bdcec4629b1c1a5a62c6f803 sum BrAL/k23jq+xy9oA7TWIhUx07dsA/QLm3g7ktCwe//U=
#   github.com/jsonnet-libs/xtd
#     version 4d7f8cb24d613430799f9d56809cc6964f35cea9 sum hOrwkOx34tOXqoDVnwuI/Uf/dr9HFFSPWpDPOvnEGrk=
#   github.com/kubernetes-monitoring/kubernetes-mixin
#     version aa38e2bfa7ea6ec6870420b483046afe790a6411 sum 2ML0xDcIAJiUf8IDOxve7EfPs8GNlu8KgfrCJC5VMlw=
#   github.com/kubernetes/kube-state-metrics/jsonnet/kube-state-metrics
#     version a8ff1ac240b2e4f9e822643cf94248879406607d sum hjMwDkqhCItPdK3j9OARdKp7iMb+2D1vMYCIJbH7AVk=
#   github.com/kubernetes/kube-state-metrics/jsonnet/kube-state-metrics-mixin
#     version a8ff1ac240b2e4f9e822643cf94248879406607d sum qclI7LwucTjBef3PkGBkKxF0mfZPbHnn4rlNWKGtR4c=
#   github.com/prometheus-operator/prometheus-operator/jsonnet/mixin
#     version ac4597771e5f417b2c981c782b18cf7fd825f202 sum gi+knjdxs2T715iIQIntrimbHRgHnpM8IFBJDD1gYfs= name prometheus-operator-mixin
#   github.com/prometheus-operator/prometheus-operator/jsonnet/prometheus-operator
#     version ac4597771e5f417b2c981c782b18cf7fd825f202 sum 5HRpBbZKSG90dtwtfU7fS03qNJIWo2qw0oUU3JS4tZE=
#   github.com/prometheus/alertmanager/doc/alertmanager-mixin
#     version 8d7515af74678b8a854938e5ddfef1e34d69f55e sum n7AFz0BnWumd8hvjTG7GWQh7+Jywq9fy5z1mUDD67o8= name alertmanager
#   github.com/prometheus/node_exporter/docs/node-mixin
#     version a7dcc3a01545180d4f2087db70994cbc3abfed13 sum PGx1okd1Ny4U+Ma3AV0haZWvXnX8eJBN4+BsQInWUo4=
#   github.com/prometheus/prometheus/documentation/prometheus-mixin
#     version 586be18809b04160c1e3b95b88719d14ec0c1fa3 sum UuADJwhNploRwfJYGb0sr2mi+MvswKpumoOMXnGs0Dc= name prometheus
#   github.com/pyrra-dev/pyrra/jsonnet/controller-gen
#     version 71f238a4a5d742631c8a0e92f3708c1819074bf0 sum AWo/rH1kSI2qEo9bx4U8r/M5lFqPvxbh2KFzLLxPqE4= name pyrra
#   github.com/thanos-io/thanos/mixin
#     version 32b924f6a25386fdcb2734574b7105e17676d7e0 sum ieCD4eMgGbOlrI8GmckGPHBGQDcLasE1rULYq56W/bs= name thanos-mixin
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
