#!/usr/bin/env bash
# Benchmarks kforge beyond one machine (issue 23) on a generated Tanka-style repository
# (hack/genfixture), with a real OCI registry (Debian's docker-registry) on 127.0.0.1:
#
#   remote  a CI runner with an empty local cache and a warm shared cache against a cold run,
#           both with --cache-url oci://127.0.0.1:PORT/bench/<kind>N, a fresh repository per
#           round, each runner with its own empty --cache-dir:
#             cold         kforge render --all > cold.yaml   (renders, fills the registry)
#             remote       kforge render --all > remote.yaml (every environment fetched from the
#                          registry, verified, copied into the local cache)
#             cold-export, remote-export: the same with kforge export OUT --all --layout golden,
#                          which also writes the 18,100 files of golden/ into an empty directory
#           remote.yaml must equal cold.yaml and the two export trees must be equal (cmp,
#           diff -r), or the benchmark fails.
#   shards  kforge export OUT --all --layout golden --no-cache, unsharded, against the same with
#           --shard i/4 for i = 1..4, run one after the other as four runners would run them at
#           once: the wall time of the slowest shard and the CPU time of all four.
#
# Every kind of run takes its turn in each of R rounds (--rounds), so that a change of machine
# load hits them alike; the ratios use the medians. Usage:
#
#   hack/bench-shared.sh [--envs N] [--services M] [--dir DIR] [--rounds R] [--parallel P] [--keep]
#
# Environment: BENCH_ENVS, BENCH_SERVICES, BENCH_DIR, BENCH_ROUNDS, BENCH_PARALLEL (defaults 100,
# 30, $TMPDIR/kforge-bench-shared, 3, one worker per core), KFORGE and MEASURE (prebuilt kforge
# and hack/genfixture/measure binaries instead of building them), FIXTURE (an existing fixture
# made by hack/genfixture, used as is), REGISTRY (the registry binary, default docker-registry),
# GO (default go).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
envs=${BENCH_ENVS:-100}
services=${BENCH_SERVICES:-30}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/kforge-bench-shared}
rounds=${BENCH_ROUNDS:-3}
parallel=${BENCH_PARALLEL:-}
keep=false
go=${GO:-go}
registry=${REGISTRY:-docker-registry}

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --envs) envs=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage ;;
    *) echo "bench-shared: unknown argument $1" >&2; usage ;;
  esac
done
for n in "$envs" "$services" "$rounds"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench-shared: sizes must be positive integers, got $n" >&2; exit 2; }
done
log() { echo "bench-shared: $*" >&2; }
command -v "$registry" >/dev/null || { echo "bench-shared: $registry not found (apt-get install docker-registry, or set REGISTRY)" >&2; exit 2; }

# Only ever delete a directory this script made (it carries a marker file).
if [ -e "$dir" ] && [ ! -e "$dir/.kforge-bench-shared" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "bench-shared: $dir exists and was not made by bench-shared.sh; pass --dir with a new directory" >&2
  exit 2
fi
rm -rf "$dir"
mkdir -p "$dir"
touch "$dir/.kforge-bench-shared"
registry_pid=
cleanup() {
  if [ -n "$registry_pid" ]; then kill "$registry_pid" 2>/dev/null || true; wait "$registry_pid" 2>/dev/null || true; fi
  $keep || rm -rf "$dir"
}
trap cleanup EXIT

if [ -n "${KFORGE:-}" ]; then
  kforge=$(cd "$(dirname "$KFORGE")" && pwd)/$(basename "$KFORGE")
else
  log "building kforge"
  kforge=$dir/kforge
  if [ -d "$repo/hack/schemas" ]; then (cd "$repo" && "$go" run ./hack/schemas >&2); fi
  # The flags users get (make build): no kustomize Go-plugin loader, static.
  (cd "$repo" && CGO_ENABLED=0 "$go" build -tags kustomize_disable_go_plugin_support -o "$kforge" ./cmd/kforge)
fi
if [ -n "${MEASURE:-}" ]; then
  measure_bin=$MEASURE
else
  (cd "$repo" && "$go" build -o "$dir/measure" ./hack/genfixture/measure)
  measure_bin=$dir/measure
fi
if [ -n "${FIXTURE:-}" ]; then
  fx=$(cd "$FIXTURE" && pwd)
  envs=$(find "$fx/environments" -name spec.json | wc -l)
else
  log "generating $envs environments x $services services"
  (cd "$repo" && "$go" run ./hack/genfixture -envs "$envs" -services "$services" -out "$dir/fixture" >&2)
  fx=$dir/fixture
fi

# The registry: a free loopback port, its own storage.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$dir/registry.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/registry
http:
  addr: 127.0.0.1:$port
EOF
"$registry" serve "$dir/registry.yml" >"$dir/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 1 200); do
  curl -sf "http://127.0.0.1:$port/v2/" >/dev/null && break
  sleep 0.05
done
curl -sf "http://127.0.0.1:$port/v2/" >/dev/null || { log "the registry did not start:"; cat "$dir/registry.log" >&2; exit 1; }
log "registry on 127.0.0.1:$port ($("$registry" --version 2>/dev/null | head -n 1 || echo "$registry"))"

par=()
[ -n "$parallel" ] && par=(--parallel "$parallel")
names=() walls=() cpus=()
# measure NAME CMD...: runs CMD in the fixture and records its wall and CPU (user + system)
# seconds, counting every process it started. stdout goes to $STDOUT (default /dev/null),
# stderr to $dir/NAME.err; a failure, or any warning (a remote failure would hide behind one),
# aborts the benchmark.
measure() {
  local name=$1 wall user sys
  shift
  log "$name: $(printf '%s ' "$@" | sed -e "s#$kforge#kforge#g" -e "s#$dir/##g")"
  (cd "$fx" && "$measure_bin" -o "$dir/$name.time" -- "$@" >"${STDOUT:-/dev/null}" 2>"$dir/$name.err") || {
    log "$name failed:"; tail -n 20 "$dir/$name.err" >&2; exit 1; }
  if grep -q Warning "$dir/$name.err"; then log "$name warned:"; cat "$dir/$name.err" >&2; exit 1; fi
  read -r wall user sys _ <"$dir/$name.time"
  names+=("$name") walls+=("$wall")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
}

for round in $(seq 1 "$rounds"); do
  url=oci://127.0.0.1:$port/bench/render$round
  STDOUT=$dir/cold.yaml measure "cold.$round" "$kforge" render --all "${par[@]}" --cache-dir="$dir/cache-cold.$round" --cache-url="$url"
  STDOUT=$dir/remote.yaml measure "remote.$round" "$kforge" render --all "${par[@]}" --cache-dir="$dir/cache-remote.$round" --cache-url="$url"
  cmp -s "$dir/cold.yaml" "$dir/remote.yaml" ||
    { log "round $round: the output served from the registry differs from the cold output"; exit 1; }
  rm -rf "$dir/cold.yaml" "$dir/remote.yaml" "$dir/cache-cold.$round" "$dir/cache-remote.$round"

  url=oci://127.0.0.1:$port/bench/export$round
  measure "cold-export.$round" "$kforge" export "$dir/out-cold.$round" --all --layout golden "${par[@]}" \
    --cache-dir="$dir/cache-cold-export.$round" --cache-url="$url"
  measure "remote-export.$round" "$kforge" export "$dir/out-remote.$round" --all --layout golden "${par[@]}" \
    --cache-dir="$dir/cache-remote-export.$round" --cache-url="$url"
  diff -r "$dir/out-cold.$round" "$dir/out-remote.$round" >/dev/null ||
    { log "round $round: the export served from the registry differs from the cold export"; exit 1; }
  rm -rf "$dir/out-cold.$round" "$dir/out-remote.$round" "$dir/cache-cold-export.$round" "$dir/cache-remote-export.$round"

  measure "unsharded.$round" "$kforge" export "$dir/out-unsharded" --all --layout golden "${par[@]}" --no-cache
  for i in 1 2 3 4; do
    measure "shard$i.$round" "$kforge" export "$dir/out-shard$i" --all --layout golden "${par[@]}" --no-cache --shard "$i/4"
  done
  rm -rf "$dir"/out-unsharded "$dir"/out-shard?
done

# Report.
value() { local -n arr=$1; local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$2" ] && { echo "${arr[$i]}"; return; }; done; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
# per_round KIND FIELD: the values of one kind of run over the rounds, one a line.
per_round() { local r; for r in $(seq 1 "$rounds"); do value "$2" "$1.$r"; done; }
# shards_round FIELD ROUND: the slowest shard's wall time, or the shards' summed CPU time.
shards_round() {
  local i vals=()
  for i in 1 2 3 4; do vals+=("$(value "$1" "shard$i.$2")"); done
  if [ "$1" = walls ]; then printf '%s\n' "${vals[@]}" | sort -g | tail -n 1; else printf '%s\n' "${vals[@]}" | awk '{ s += $1 } END { printf "%.2f\n", s }'; fi
}
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
echo "kforge across runners: $envs environments x $services services, $(nproc) cores, commit $commit, $rounds alternating rounds"
echo "wall = elapsed seconds, cpu = user + system seconds of kforge and its evaluation workers"
printf '\n%-16s %8s %8s\n' run "wall s" "cpu s"
for i in "${!names[@]}"; do printf '%-16s %8.2f %8.2f\n' "${names[$i]}" "${walls[$i]}" "${cpus[$i]}"; done

cold_w=$(per_round cold walls | median) cold_c=$(per_round cold cpus | median)
remote_w=$(per_round remote walls | median) remote_c=$(per_round remote cpus | median)
ecold_w=$(per_round cold-export walls | median) ecold_c=$(per_round cold-export cpus | median)
eremote_w=$(per_round remote-export walls | median) eremote_c=$(per_round remote-export cpus | median)
uns_w=$(per_round unsharded walls | median) uns_c=$(per_round unsharded cpus | median)
slow_w=$(for r in $(seq 1 "$rounds"); do shards_round walls "$r"; done | median)
sum_c=$(for r in $(seq 1 "$rounds"); do shards_round cpus "$r"; done | median)
echo
echo "medians of $rounds rounds:"
echo "  shared cache:  render --all: cold / empty local cache + warm registry = $(div "$cold_w" "$remote_w")x wall ($(div "$cold_c" "$remote_c")x cpu); target >= 5x; output byte-identical"
echo "                 cold $cold_w s ($cold_c s cpu), warm registry $remote_w s ($remote_c s cpu)"
echo "                 export (also writes golden/): cold / warm registry = $(div "$ecold_w" "$eremote_w")x wall ($(div "$ecold_c" "$eremote_c")x cpu); trees identical"
echo "                 cold $ecold_w s ($ecold_c s cpu), warm registry $eremote_w s ($eremote_c s cpu)"
echo "  4 shards:      slowest shard / unsharded = $(div "$slow_w" "$uns_w") wall; all shards' cpu / unsharded = $(div "$sum_c" "$uns_c") cpu"
echo "                 unsharded $uns_w s ($uns_c s cpu), slowest shard $slow_w s, shards' cpu $sum_c s"
echo "per round:"
for r in $(seq 1 "$rounds"); do
  echo "  round $r: cold / warm registry $(div "$(value walls "cold.$r")" "$(value walls "remote.$r")")x wall ($(div "$(value cpus "cold.$r")" "$(value cpus "remote.$r")")x cpu)," \
    "export $(div "$(value walls "cold-export.$r")" "$(value walls "remote-export.$r")")x wall ($(div "$(value cpus "cold-export.$r")" "$(value cpus "remote-export.$r")")x cpu);" \
    "slowest shard / unsharded $(div "$(shards_round walls "$r")" "$(value walls "unsharded.$r")") wall, shards' cpu / unsharded $(div "$(shards_round cpus "$r")" "$(value cpus "unsharded.$r")")"
done
