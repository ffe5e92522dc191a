#!/usr/bin/env bash
# Compares two kforge binaries on start-up and on a fully cached (warm) render, in alternating
# rounds (A B A B ...), and reports medians:
#
#   version   kforge version > /dev/null
#   warm      kforge render ENV --cache-dir DIR > /dev/null   (the cache filled before)
#   cold      kforge render ENV --no-cache > /dev/null         (with --cold)
#
# with wall and CPU seconds (user + system) and the peak resident memory summed over every
# process (hack/genfixture/measure samples /proc every 10 ms), the cold / warm ratio of each
# binary, and whether the two render the same bytes (cmp of their cold and warm output).
#
# Usage:
#   hack/bench-warm.sh [--rounds R] [--cold] BEFORE AFTER REPO [ENV]
#
# REPO is a Tanka repository (e.g. the one hack/realworld/assemble.sh makes), ENV an
# environment in it (default environments/kube-prometheus). Each binary gets its own cache
# directory (a cache key includes the build), removed afterwards. Environment: MEASURE (a
# prebuilt hack/genfixture/measure), GO (default go).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
rounds=5 cold=false
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --rounds) rounds=$2; shift 2 ;;
    --cold) cold=true; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
[ ${#args[@]} -ge 3 ] || { echo "usage: hack/bench-warm.sh [--rounds R] [--cold] BEFORE AFTER REPO [ENV]" >&2; exit 2; }
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
bins=("$(abs "${args[0]}")" "$(abs "${args[1]}")")
rw=$(cd "${args[2]}" && pwd)
env_path=${args[3]:-environments/kube-prometheus}

dir=$(mktemp -d "${TMPDIR:-/tmp}/kforge-warm.XXXXXX")
trap 'rm -rf "$dir"' EXIT
if [ -n "${MEASURE:-}" ]; then
  measure=$MEASURE
else
  measure=$dir/measure
  (cd "$repo" && "${GO:-go}" build -o "$measure" ./hack/genfixture/measure)
fi

# Fresh copies of both binaries: how much of a binary's text is resident after start-up depends
# on how its pages sit in the page cache (a file just written by the linker maps in larger
# pieces than one read back from disk), so both start from the same state.
cp "${bins[0]}" "$dir/kforge-before"
cp "${bins[1]}" "$dir/kforge-after"
bins=("$dir/kforge-before" "$dir/kforge-after")

# run LABEL BIN ARGS...: runs kforge in REPO, output to $dir/LABEL.out, one line of
# "wall user sys peak_sum_KB max_single_KB" appended to $dir/LABEL.times.
run() {
  local label=$1
  shift
  (cd "$rw" && "$measure" -o "$dir/t" -- "$@" >"$dir/$label.out" 2>"$dir/$label.err") ||
    { echo "bench-warm: $label failed:" >&2; tail -5 "$dir/$label.err" >&2; exit 1; }
  cat "$dir/t" >>"$dir/$label.times"
}

for i in 0 1; do
  run "fill-$i" "${bins[$i]}" render "$env_path" --cache-dir "$dir/cache-$i"
done
for r in $(seq "$rounds"); do
  for i in 0 1; do
    run "version-$i" "${bins[$i]}" version
    run "warm-$i" "${bins[$i]}" render "$env_path" --cache-dir "$dir/cache-$i"
    $cold && run "cold-$i" "${bins[$i]}" render "$env_path" --no-cache
  done
  echo "bench-warm: round $r of $rounds done" >&2
done

# median FILE COLUMN: the median of a column (1 wall, 2 user, 3 sys, 4 peak KiB; 23 user+sys).
median() {
  awk -v c="$2" '{ v = (c == 23) ? $2 + $3 : $c; print v }' "$1" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
printf '%-8s %-7s %8s %8s %10s\n' binary run wall_s cpu_s peak_MiB
for i in 0 1; do
  name=before
  [ "$i" = 1 ] && name=after
  for what in version warm cold; do
    [ -f "$dir/$what-$i.times" ] || continue
    printf '%-8s %-7s %8s %8s %10s\n' "$name" "$what" "$(median "$dir/$what-$i.times" 1)" \
      "$(median "$dir/$what-$i.times" 23)" "$(awk -v k="$(median "$dir/$what-$i.times" 4)" 'BEGIN { printf "%.1f", k / 1024 }')"
  done
  if $cold; then
    echo "$name cold / warm: $(awk -v c="$(median "$dir/cold-$i.times" 1)" -v w="$(median "$dir/warm-$i.times" 1)" 'BEGIN { printf "%.1f", c / w }')x wall, $(awk -v c="$(median "$dir/cold-$i.times" 23)" -v w="$(median "$dir/warm-$i.times" 23)" 'BEGIN { printf "%.1f", c / w }')x CPU"
  fi
done
same=yes
cmp -s "$dir/fill-0.out" "$dir/fill-1.out" || same=no
cmp -s "$dir/warm-0.out" "$dir/warm-1.out" || same=no
cmp -s "$dir/fill-1.out" "$dir/warm-1.out" || same=no
if $cold; then cmp -s "$dir/cold-0.out" "$dir/cold-1.out" || same=no; fi
echo "output byte-identical (before vs after, cold vs warm): $same"
[ "$same" = yes ]
