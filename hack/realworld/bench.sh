#!/usr/bin/env bash
# Times kforge against Tanka on a real-world repository made by hack/realworld/assemble.sh
# (kube-prometheus's example.jsonnet as environments/kube-prometheus), in alternating rounds:
#
#   rw-tk-show        $TK show ENV --dangerous-allow-redirect > /dev/null     (only when $TK is set)
#   rw-kforge-cold    kforge render ENV --no-cache > /dev/null
#   rw-kforge-warm    kforge render ENV --cache-dir DIR/rw-cache > /dev/null (cache filled before)
#   rw-tk-export      $TK export OUT ENV --format F          (only when $TK is set; OUT removed before)
#   rw-kforge-export  kforge export OUT ENV --format F --no-cache  (OUT removed before)
#   (F = {{.apiVersion}}.{{.kind}}-{{.metadata.namespace}}-{{.metadata.name}}: the default
#   names collide)
#
# and reports the median wall time, CPU time (user + system) and peak resident memory of each,
# with the ratios tk show / kforge cold, cold / warm and tk export / kforge export: of the
# medians, and within each round (median and range), since a round's runs follow each other. Peak memory is
# the maximum over the run of the resident memory summed over every process of the tool alive at
# the same moment (kforge's parent and its evaluation workers; tk and anything it starts):
# hack/genfixture/measure samples VmRSS of the command and all its descendants from /proc every
# 10 ms and becomes a child subreaper so that orphaned workers are still counted. GNU time reports
# only the largest single process, which hides the worker. The PSS column is the same peak of the
# summed proportional set size (smaps_rollup): the pages of the kforge executable that the parent
# and its worker both map count once there, twice in the resident sum.
#
# Usage:
#   hack/realworld/bench.sh REALWORLD_DIR [--rounds R] [--dir DIR]
#
# Environment: KFORGE (a prebuilt kforge, else built from this tree), TK (a Tanka binary; build
# it from a grafana/tanka checkout with `go build -o tk ./cmd/tk`), MEASURE (a prebuilt
# hack/genfixture/measure), BENCH_ROUNDS (default 5), RW_ENV (default
# environments/kube-prometheus), GO (default go). hack/bench.sh runs this when REALWORLD_DIR is set.
set -euo pipefail
shopt -s extglob

repo=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=hack/rounds.sh
. "$repo/hack/rounds.sh"
rounds=${BENCH_ROUNDS:-5}
env_path=${RW_ENV:-environments/kube-prometheus}
go=${GO:-go}
rw=
dir=
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "realworld bench: unknown flag $1" >&2; usage ;;
    *) [ -z "$rw" ] || usage; rw=$1; shift ;;
  esac
done
[ -n "$rw" ] || usage
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "realworld bench: --rounds must be a positive integer" >&2; exit 2; }
rw=$(cd "$rw" && pwd)
[ -f "$rw/$env_path/main.jsonnet" ] || { echo "realworld bench: $rw/$env_path/main.jsonnet not found (run hack/realworld/assemble.sh)" >&2; exit 2; }

log() { echo "realworld bench: $*" >&2; }
own_dir=false
if [ -z "$dir" ]; then dir=$(mktemp -d "${TMPDIR:-/tmp}/kforge-rw.XXXXXX"); own_dir=true; fi
mkdir -p "$dir"
$own_dir && trap 'rm -rf "$dir"' EXIT

if [ -n "${KFORGE:-}" ]; then
  kforge=$(cd "$(dirname "$KFORGE")" && pwd)/$(basename "$KFORGE")
else
  log "building kforge"
  kforge=$dir/kforge
  # The flags users get (make build): no kustomize Go-plugin loader, static.
  (cd "$repo" && CGO_ENABLED=0 "$go" build -tags kustomize_disable_go_plugin_support -o "$kforge" ./cmd/kforge)
fi
if [ -n "${MEASURE:-}" ]; then
  measure_bin=$MEASURE
else
  measure_bin=$dir/measure
  (cd "$repo" && "$go" build -o "$measure_bin" ./hack/genfixture/measure)
fi

# Default file names collide in kube-prometheus (a Role of one name in several namespaces).
format='{{.apiVersion}}.{{.kind}}-{{.metadata.namespace}}-{{.metadata.name}}'
names=() walls=() cpus=() rsss=() psss=()
# run NAME CMD...: runs CMD in the real-world repository with stdout discarded and records its
# wall seconds, CPU seconds and summed peak RSS (KiB); a non-zero exit aborts.
run() {
  local name=$1 rc=0
  shift
  (cd "$rw" && "$measure_bin" -o "$dir/$name.time" -- "$@" >/dev/null 2>"$dir/$name.err") || rc=$?
  if [ "$rc" != 0 ]; then
    log "$name failed with exit code $rc:"; tail -n 20 "$dir/$name.err" >&2; exit 1
  fi
  local wall user sys rss pss
  read -r wall user sys rss _ pss <"$dir/$name.time"
  names+=("$name") walls+=("$wall") rsss+=("$rss") psss+=("${pss:-0}")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')")
}
# median ARRAY NAME: the median of ARRAY over the rounds NAME.1, NAME.2, ...
median() {
  local -n values=$1
  local i picked=()
  for i in "${!names[@]}"; do
    [[ ${names[$i]} == "$2".+([0-9]) ]] && picked+=("${values[$i]}")
  done
  [ "${#picked[@]}" -gt 0 ] || { echo 0; return; }
  printf '%s\n' "${picked[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}
# at ARRAY NAME: the value of ARRAY for the run NAME (NAME.ROUND).
at() {
  local -n values=$1
  local i
  for i in "${!names[@]}"; do
    [ "${names[$i]}" != "$2" ] || { echo "${values[$i]}"; return; }
  done
  echo 0
}
# per_round ARRAY A B: the ratio A / B of ARRAY within each round (both measured minutes apart at
# most, so a machine that slows down or speeds up during the run moves both), summarised by
# ratio_summary.
per_round() {
  local r list=()
  for r in $(seq 1 "$rounds"); do
    list+=("$(div "$(at "$1" "$2.$r")" "$(at "$1" "$3.$r")")")
  done
  ratio_summary "${list[@]}"
}
# rounds_at_most ARRAY A B: in how many rounds A's ARRAY value was at most B's.
rounds_at_most() {
  local r pairs=()
  for r in $(seq 1 "$rounds"); do
    pairs+=("$(at "$1" "$2.$r")" "$(at "$1" "$3.$r")")
  done
  count_at_most "${pairs[@]}"
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# Fill the warm cache once, and check that the environment renders.
(cd "$rw" && "$kforge" render "$env_path" --cache-dir "$dir/rw-cache" >"$dir/rw.yaml")
objects=$(grep -c '^kind:' "$dir/rw.yaml" || true)
bytes=$(wc -c <"$dir/rw.yaml")

for round in $(seq 1 "$rounds"); do
  log "round $round of $rounds"
  if [ -n "${TK:-}" ]; then
    run "rw-tk-show.$round" "$TK" show "$env_path" --dangerous-allow-redirect
  fi
  run "rw-kforge-cold.$round" "$kforge" render "$env_path" --no-cache
  run "rw-kforge-warm.$round" "$kforge" render "$env_path" --cache-dir "$dir/rw-cache"
  if [ -n "${TK:-}" ]; then
    rm -rf "$dir/out-tk"
    run "rw-tk-export.$round" "$TK" export "$dir/out-tk" "$env_path" --format "$format"
  fi
  rm -rf "$dir/out-kforge"
  run "rw-kforge-export.$round" "$kforge" export "$dir/out-kforge" "$env_path" --format "$format" --no-cache
done

echo "real-world benchmark: $rw/$env_path ($objects objects, $bytes bytes of YAML), $(nproc) cores, medians of $rounds alternating rounds"
tk_version='not measured (TK unset)'
[ -z "${TK:-}" ] || tk_version=$("$TK" --version 2>&1 | sed -n 's/.*tk version /tk /p' | head -n 1)
echo "$("$kforge" version 2>/dev/null | head -n 1 || echo 'kforge ?'); ${tk_version:-tk ?}"
printf '\n%-18s %8s %8s %9s %9s\n' run "wall s" "cpu s" "peak MiB" "PSS MiB"
for n in rw-tk-show rw-kforge-cold rw-kforge-warm rw-tk-export rw-kforge-export; do
  [ "$(median walls "$n")" != 0 ] || continue
  printf '%-18s %8.3f %8.3f %9s %9s\n' "$n" "$(median walls "$n")" "$(median cpus "$n")" "$(mib "$(median rsss "$n")")" "$(mib "$(median psss "$n")")"
done
echo
cold=$(median walls rw-kforge-cold)
echo "kforge cold / warm = $(div "$cold" "$(median walls rw-kforge-warm)")x (target >= 50x); per round $(per_round walls rw-kforge-cold rw-kforge-warm)"
if [ -n "${TK:-}" ]; then
  echo "tk show / kforge cold = $(div "$(median walls rw-tk-show)" "$cold")x wall, $(div "$(median cpus rw-tk-show)" "$(median cpus rw-kforge-cold)")x cpu (target >= 6x); per round $(per_round walls rw-tk-show rw-kforge-cold) wall"
  echo "peak RSS, all processes: tk show $(mib "$(median rsss rw-tk-show)") MiB, kforge cold $(mib "$(median rsss rw-kforge-cold)") MiB (target: kforge <= tk); kforge <= tk in $(rounds_at_most rsss rw-kforge-cold rw-tk-show)"
  echo "peak PSS, all processes: tk show $(mib "$(median psss rw-tk-show)") MiB, kforge cold $(mib "$(median psss rw-kforge-cold)") MiB (shared pages counted once); kforge <= tk in $(rounds_at_most psss rw-kforge-cold rw-tk-show)"
  echo "tk export / kforge export (cold) = $(div "$(median walls rw-tk-export)" "$(median walls rw-kforge-export)")x wall; per round $(per_round walls rw-tk-export rw-kforge-export)"
fi
