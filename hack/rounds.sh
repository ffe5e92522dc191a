# shellcheck shell=bash
# Summaries of per-round measurements, shared by the benchmark scripts (sourced, not run).

# ratio_summary RATIO...: the median of the ratios and their range, as
# "MEDIANx (LOWEST-HIGHEST over N rounds)".
ratio_summary() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)
    printf "%.2fx (%.2f-%.2f over %d rounds)", m, v[1], v[NR], NR }'
}

# count_at_most A1 B1 A2 B2 ...: in how many of the pairs A was at most B, as "K of N rounds".
count_at_most() {
  local n=0 total=0
  while [ $# -ge 2 ]; do
    if awk -v a="$1" -v b="$2" 'BEGIN { exit !(a <= b) }'; then n=$((n + 1)); fi
    total=$((total + 1))
    shift 2
  done
  echo "$n of $total rounds"
}
