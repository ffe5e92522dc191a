#!/usr/bin/env bash
# Benchmarks kforge end to end on a generated Tanka-style repository (hack/genfixture) and prints
# the wall time, CPU time and peak memory of each run, with ratios against the cold render:
#
#   a  cold full render        kforge export OUT --all --layout golden (empty render cache)
#   b  warm, nothing changed   the same command again
#   c  one file changed        the same command after editing one environment's main.jsonnet
#   d  render + policies + golden compare: kforge validate --all --golden --no-schemas (every
#        policy of this repository's policies/, input.previous read from golden/, then the
#        golden comparison, one render per environment), and the same with schema validation
#        (without --no-schemas); for detail d1 kforge validate --all and d2 kforge golden check
#        --all. Builds without --golden get d = d1 + d2 - e instead
#   e  evaluation alone        kforge render --all > /dev/null (and e-inproc with --isolate=false,
#                              when the binary has worker processes, to show what they cost)
#   tk Tanka                   $TK export OUT environments/ -r --format F against kforge export
#                              OUT --all --format F (no cache), R alternating rounds into new
#                              directories, outputs compared (only when $TK names a tk binary)
#   tk-model                   hack/tkmodel: Tanka's evaluation strategy (a fresh go-jsonnet VM per
#                              environment, std.format in Jsonnet, all output held until written)
#                              built from go-jsonnet alone; a baseline where no tk can be installed
#   a at a second, smaller number of environments, to show that peak RSS does not grow with it.
#   rw real-world section, only when REALWORLD_DIR names a repository made by
#        hack/realworld/assemble.sh (kube-prometheus's example): hack/realworld/bench.sh times
#        $TK show / tk export against kforge cold (--no-cache) and warm in alternating rounds and
#        reports medians, ratios and peak RSS summed over every process of each tool.
#   shared beyond one machine (issue 23), when docker-registry is installed and BENCH_SHARED is
#        not 0: hack/bench-shared.sh on the same fixture: a runner with an empty local cache and a
#        warm registry against a cold run (render --all and export, outputs compared), and 4
#        shards against one unsharded run, in alternating rounds.
#
# Each run reports wall time, CPU time and peak resident memory of kforge with its evaluation
# workers (hack/genfixture/measure). Runs b, c use the render cache when the binary has one
# (--cache-dir/--no-cache in --help); d and e bypass it (--no-cache) so that they compare like
# with like; without a cache every run renders from scratch. Usage:
#
#   hack/bench.sh [--envs N] [--services M] [--small-envs K] [--dir DIR] [--parallel P]
#                 [--rounds R] [--keep]
#
# Environment: BENCH_ENVS, BENCH_SERVICES, BENCH_SMALL_ENVS, BENCH_DIR, BENCH_PARALLEL,
# BENCH_ROUNDS (the flags' defaults: 100, 30, 25, $TMPDIR/kforge-bench, one worker per core, 3:
# d and e run in R alternating rounds and their ratios use the medians), KFORGE (a prebuilt
# kforge binary instead of building one from this tree), TK (a Tanka binary), GO (default go),
# REALWORLD_DIR (see rw above), BENCH_SHARED (0 skips the shared section), BENCH_SETTLE (seconds
# to wait after deleting an output before the next export against tk, default 5).
set -euo pipefail
shopt -s extglob

repo=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=hack/rounds.sh
. "$repo/hack/rounds.sh"
envs=${BENCH_ENVS:-100}
services=${BENCH_SERVICES:-30}
small_envs=${BENCH_SMALL_ENVS:-25}
dir=${BENCH_DIR:-${TMPDIR:-/tmp}/kforge-bench}
parallel=${BENCH_PARALLEL:-}
rounds=${BENCH_ROUNDS:-3}
keep=false
go=${GO:-go}

usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --envs) envs=$2; shift 2 ;;
    --services) services=$2; shift 2 ;;
    --small-envs) small_envs=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --parallel) parallel=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    -h|--help) usage ;;
    *) echo "bench: unknown argument $1" >&2; usage ;;
  esac
done
for n in "$envs" "$services" "$small_envs" "$rounds"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "bench: sizes must be positive integers, got $n" >&2; exit 2; }
done

log() { echo "bench: $*" >&2; }

# Only ever delete a directory this script made (it carries a marker file).
if [ -e "$dir" ] && [ ! -e "$dir/.kforge-bench" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
  echo "bench: $dir exists and was not made by bench.sh; pass --dir with a new directory" >&2
  exit 2
fi
rm -rf "$dir"
mkdir -p "$dir"
touch "$dir/.kforge-bench"
$keep || trap 'rm -rf "$dir"' EXIT

# Build kforge from this tree unless a binary was given.
if [ -n "${KFORGE:-}" ]; then
  kforge=$(cd "$(dirname "$KFORGE")" && pwd)/$(basename "$KFORGE")
else
  log "building kforge"
  kforge=$dir/kforge
  # The embedded schema data is generated (make schemas) before kforge builds.
  if [ -d "$repo/hack/schemas" ]; then (cd "$repo" && "$go" run ./hack/schemas >&2); fi
  # The flags users get (make build): no kustomize Go-plugin loader, static.
  (cd "$repo" && CGO_ENABLED=0 "$go" build -tags kustomize_disable_go_plugin_support -o "$kforge" ./cmd/kforge)
fi

# measure (hack/genfixture/measure) counts kforge's evaluation worker processes too, which GNU
# time misses: it sees only the processes the command itself waited for.
(cd "$repo" && "$go" build -o "$dir/measure" ./hack/genfixture/measure)
(cd "$repo" && "$go" build -o "$dir/tkmodel" ./hack/tkmodel)
log "generating $envs environments x $services services (and $small_envs for the RSS check)"
(cd "$repo" && "$go" run ./hack/genfixture -envs "$envs" -services "$services" -out "$dir/fixture" >&2)
(cd "$repo" && "$go" run ./hack/genfixture -envs "$small_envs" -services "$services" -out "$dir/fixture-small" >&2)

# has_flag CMD... FLAG: whether `kforge CMD --help` lists FLAG. grep reads the whole help (no -q):
# under pipefail, grep -q leaving early would fail the pipeline with kforge's SIGPIPE.
has_flag() {
  local flag=${*: -1}
  "$kforge" "${@:1:$#-1}" --help 2>/dev/null | grep -E -- "$flag([ =[]|\$)" >/dev/null
}
cache=false
if has_flag render --cache-dir && has_flag render --no-cache; then cache=true; fi
par=()
[ -n "$parallel" ] && par=(--parallel "$parallel")
# cached/uncached CMD...: the cache flags a command takes for a cached or a bypassed run.
cached() { if $cache && has_flag "$@" --cache-dir; then echo "--cache-dir=$dir/cache"; fi; }
uncached() { if $cache && has_flag "$@" --no-cache; then echo "--no-cache"; fi; }

names=() cmds=() walls=() cpus=() rsss=() codes=() loads=()
# measure NAME ALLOWED_CODES DIR CMD...: runs CMD in DIR and records its wall seconds, the CPU
# seconds (user + system) and peak resident memory (KiB, summed over the processes alive at
# once) of CMD and every process it started, and the load average before it. Output goes to $dir/NAME.log (stdout to /dev/null when QUIET=1).
# An exit code outside ALLOWED_CODES (comma-separated) aborts the benchmark.
measure() {
  local name=$1 allowed=$2 cwd=$3
  shift 3
  local shown
  shown=$(printf '%s ' "$@" | sed -e "s#$kforge#kforge#g" -e "s#$dir/##g" -e "s#$repo/#<repo>/#g" -e "s/ $//")
  log "$name: $shown"
  local stdout=$dir/$name.log rc=0 load
  [ "${QUIET:-0}" = 1 ] && stdout=/dev/null
  read -r load _ </proc/loadavg
  (cd "$cwd" && "$dir/measure" -o "$dir/$name.time" -- "$@" >"$stdout" 2>"$dir/$name.err") || rc=$?
  if [[ ",$allowed," != *",$rc,"* ]]; then
    log "$name failed with exit code $rc:"
    tail -n 20 "$dir/$name.err" "$stdout" >&2 || true
    exit 1
  fi
  local wall user sys rss
  read -r wall user sys rss _ <"$dir/$name.time"
  names+=("$name") cmds+=("$shown") walls+=("$wall") rsss+=("$rss") codes+=("$rc") loads+=("$load")
  cpus+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
}

fx=$dir/fixture
out=$dir/out
changed=$(printf 'environments/env-%03d/main.jsonnet' $((envs / 2)))
[ "$envs" -gt 999 ] && changed=$(printf 'environments/env-%04d/main.jsonnet' $((envs / 2)))

# a, b, c: export into the same directory, sharing one cache.
measure a-cold 0 "$fx" "$kforge" export "$out" --all --layout golden "${par[@]}" $(cached export)
measure b-warm 0 "$fx" "$kforge" export "$out" --all --layout golden "${par[@]}" $(cached export)
cp "$fx/$changed" "$dir/changed.bak"
# Change one overridden replica count: a real edit whose output differs.
sed -i '0,/replicas: [0-9]*/s//replicas: 9/' "$fx/$changed"
cmp -s "$fx/$changed" "$dir/changed.bak" && { log "could not edit $changed"; exit 1; }
measure c-one-file 0 "$fx" "$kforge" export "$out" --all --layout golden "${par[@]}" $(cached export)
cp "$dir/changed.bak" "$fx/$changed"

# d, e: the fixture's own golden files first, then validate, golden check and render, uncached.
measure golden-update 0 "$fx" "$kforge" golden update --all "${par[@]}" $(uncached golden update)
measure d1-validate 0,1 "$fx" "$kforge" validate --all --policy "$repo/policies" "${par[@]}" $(uncached validate)
measure d2-golden-check 0 "$fx" "$kforge" golden check --all "${par[@]}" $(uncached golden check)
# d and e run in alternating rounds (--rounds), so that a change of machine load hits both alike;
# the ratios use the median of each.
combined=false
has_flag validate --golden && combined=true
no_schemas=false
has_flag validate --no-schemas && no_schemas=true
for round in $(seq 1 "$rounds"); do
  QUIET=1 measure "e-render.$round" 0 "$fx" "$kforge" render --all "${par[@]}" $(uncached render)
  if $combined; then
    measure "d-validate-golden.$round" 0,1 "$fx" "$kforge" validate --all --golden --policy "$repo/policies" "${par[@]}" $(uncached validate)
    if $no_schemas; then
      measure "d-policies-golden.$round" 0,1 "$fx" "$kforge" validate --all --golden --no-schemas --policy "$repo/policies" "${par[@]}" $(uncached validate)
    fi
  fi
done
if has_flag render --isolate; then
  QUIET=1 measure e-inproc 0 "$fx" "$kforge" render --all --isolate=false "${par[@]}" $(uncached render)
fi

# kforge export against tk export: defaults against defaults with the same --format (Tanka's
# default names collide in the fixture), in alternating rounds, each into a new directory after
# the previous output was deleted, the disk synced and BENCH_SETTLE seconds (default 5) passed,
# so that neither tool writes while the file system still works on the other's deletion.
tkfmt='{{env.spec.namespace}}/{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}'
same_trees=
if [ -n "${TK:-}" ]; then
  settle() { rm -rf "$dir/out-tk" "$dir/out-kx"; sync; sleep "${BENCH_SETTLE:-5}"; }
  for round in $(seq 1 "$rounds"); do
    settle
    measure "kx-export.$round" 0 "$fx" "$kforge" export "$dir/out-kx" --all --format "$tkfmt" $(uncached export)
    settle
    measure "tk-export.$round" 0 "$fx" "$TK" export "$dir/out-tk" environments/ -r --format "$tkfmt"
  done
  (cd "$fx" && "$kforge" export "$dir/out-kx" --all --format "$tkfmt" $(uncached export) >/dev/null 2>&1)
  if diff -r "$dir/out-kx" "$dir/out-tk" >/dev/null; then
    same_trees="identical ($(find "$dir/out-tk" -type f | wc -l) files)"
  else
    same_trees="DIFFERENT (diff -r $dir/out-kx $dir/out-tk)"
  fi
  rm -rf "$dir/out-tk" "$dir/out-kx"
else
  log "tk: skipped (set TK to a Tanka binary to compare with tk export)"
fi
QUIET=1 measure tk-model 0 "$fx" "$dir/tkmodel" -parallel "${parallel:-$(nproc)}" -out "$dir/out-tkmodel" .

# Peak RSS at a smaller number of environments.
rm -rf "$dir/cache"
measure a-cold-small 0 "$dir/fixture-small" "$kforge" export "$dir/out-small" --all --layout golden "${par[@]}" $(cached export)

# Report.
commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
index() { local i; for i in "${!names[@]}"; do [ "${names[$i]}" = "$1" ] && { echo "$i"; return; }; done; echo -1; }
# field ARRAY NAME: the value of a run, or the median over its rounds NAME.1, NAME.2, ...
field() {
  local -n values=$1
  local i j=-1 picked=()
  for i in "${!names[@]}"; do
    [ "${names[$i]}" = "$2" ] && j=$i
    [[ ${names[$i]} == "$2".+([0-9]) ]] && picked+=("${values[$i]}")
  done
  if [ "${#picked[@]}" -gt 0 ]; then
    printf '%s\n' "${picked[@]}" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
  else
    echo "${values[$j]}"
  fi
}
wall() { field walls "$1"; }
cpu() { field cpus "$1"; }
mib() { awk -v k="$(field rsss "$1")" 'BEGIN { printf "%.0f", k / 1024 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }
# per_round ARRAY A B: the ratio A / B of ARRAY within each round (runs A.R and B.R follow each
# other), summarised by ratio_summary.
per_round() {
  local -n values=$1
  local r list=()
  for r in $(seq 1 "$rounds"); do
    list+=("$(div "${values[$(index "$2.$r")]}" "${values[$(index "$3.$r")]}")")
  done
  ratio_summary "${list[@]}"
}
# rounds_at_most ARRAY A B: in how many rounds A's ARRAY value was at most B's.
rounds_at_most() {
  local -n values=$1
  local r pairs=()
  for r in $(seq 1 "$rounds"); do
    pairs+=("${values[$(index "$2.$r")]}" "${values[$(index "$3.$r")]}")
  done
  count_at_most "${pairs[@]}"
}
# derived FIELD: d = d1 + d2 - e for the wall or cpu figures (builds without --golden).
derived() { awk -v a="$($1 d1-validate)" -v b="$($1 d2-golden-check)" -v c="$($1 e-render)" 'BEGIN { printf "%.2f", a + b - c }'; }
cold=$(wall a-cold) cold_cpu=$(cpu a-cold)
if $combined; then
  d=$(wall d-validate-golden) d_cpu=$(cpu d-validate-golden)
else
  d=$(derived wall) d_cpu=$(derived cpu)
fi

echo "kforge benchmark: $envs environments x $services services ($((1 + 6 * services)) resources each), $(nproc) cores, commit $commit"
echo "$("$kforge" version 2>/dev/null | head -n 1 || echo 'kforge ?'); render cache: $($cache && echo yes || echo 'no (warm and one-file runs render everything)'); GOGC=${GOGC:-unset} GOMEMLIMIT=${GOMEMLIMIT:-unset}"
echo "wall = elapsed seconds, cpu = user + system seconds (steadier than wall on a shared machine), load = 1-minute load average when the run started"
printf '\n%-20s %8s %8s %9s %7s %7s %5s  %s\n' run "wall s" "cpu s" "peak MiB" "wall/a" "cpu/a" load command
for i in "${!names[@]}"; do
  printf '%-20s %8.2f %8.2f %9s %7s %7s %5s  %s\n' "${names[$i]}" "${walls[$i]}" "${cpus[$i]}" "$(mib "${names[$i]}")" \
    "$(div "${walls[$i]}" "$cold")" "$(div "${cpus[$i]}" "$cold_cpu")" "${loads[$i]}" "${cmds[$i]}"
done
$combined || printf '%-20s %8.2f %8.2f %9s %7s %7s %5s  %s\n' d-derived "$d" "$d_cpu" - "$(div "$d" "$cold")" "$(div "$d_cpu" "$cold_cpu")" - "d1 + d2 - e: one render, all policies, golden compare"
[ "${codes[$(index d1-validate)]}" = 0 ] || echo "note: validate reported findings: $(tail -n 1 "$dir/d1-validate.log")"

echo
echo "targets (issue 6), wall (cpu):"
echo "  warm, nothing changed:  cold / warm = $(div "$cold" "$(wall b-warm)")x ($(div "$cold_cpu" "$(cpu b-warm)")x); target >= 20x"
echo "  one file changed:       cold / one-file = $(div "$cold" "$(wall c-one-file)")x ($(div "$cold_cpu" "$(cpu c-one-file)")x); target: only the affected environment re-renders"
echo "  policies + compare:     target <= 1.3; medians of $rounds alternating rounds"
if $combined && $no_schemas; then
  echo "                          render + all policies + golden compare: d-policies-golden / e = $(div "$(wall d-policies-golden)" "$(wall e-render)") ($(div "$(cpu d-policies-golden)" "$(cpu e-render)"))"
fi
echo "                          the same with schema validation: d / e = $(div "$d" "$(wall e-render)") ($(div "$d_cpu" "$(cpu e-render)"))"
echo "                          d1 / e = $(div "$(wall d1-validate)" "$(wall e-render)") ($(div "$(cpu d1-validate)" "$(cpu e-render)")), d2 / e = $(div "$(wall d2-golden-check)" "$(wall e-render)") ($(div "$(cpu d2-golden-check)" "$(cpu e-render)"))"
if [ -n "${TK:-}" ]; then
  echo "  vs tk export:           tk / cold = $(div "$(wall tk-export)" "$cold")x ($(div "$(cpu tk-export)" "$cold_cpu")x); target >= 1.5x"
  echo "targets (issue 22, set for --envs 40 --services 50), tk export against kforge export --format F --no-cache, medians of $rounds alternating rounds:"
  echo "  speed:                  tk / kforge = $(div "$(wall tk-export)" "$(wall kx-export)")x ($(div "$(cpu tk-export)" "$(cpu kx-export)")x cpu); per round $(per_round walls tk-export kx-export); target >= 12x"
  echo "  peak RSS:               tk $(mib tk-export) MiB, kforge $(mib kx-export) MiB; kforge <= tk in $(rounds_at_most rsss kx-export tk-export); target: kforge <= tk"
  echo "  output:                 trees $same_trees"
else
  echo "  vs tk export:           not measured (TK unset)"
fi
echo "  vs tk-model:            tk-model / cold = $(div "$(wall tk-model)" "$cold")x ($(div "$(cpu tk-model)" "$cold_cpu")x); a model of Tanka's strategy, not tk"
echo "  peak RSS of a cold run: $small_envs environments $(mib a-cold-small) MiB, $envs environments $(mib a-cold) MiB; target: independent of the count"

if [ -n "${REALWORLD_DIR:-}" ]; then
  echo
  KFORGE=$kforge MEASURE=$dir/measure BENCH_ROUNDS=$rounds "$repo/hack/realworld/bench.sh" "$REALWORLD_DIR" --dir "$dir/realworld"
fi

if [ "${BENCH_SHARED:-1}" != 0 ] && command -v "${REGISTRY:-docker-registry}" >/dev/null; then
  echo
  KFORGE=$kforge MEASURE=$dir/measure FIXTURE=$fx BENCH_ROUNDS=$rounds BENCH_PARALLEL=$parallel \
    "$repo/hack/bench-shared.sh" --dir "$dir/shared"
else
  log "shared: skipped (install docker-registry, or BENCH_SHARED=0 was given)"
fi
