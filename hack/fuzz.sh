#!/usr/bin/env bash
# Runs every Go fuzz target of the repository (each `func FuzzXxx` in a _test.go file) for a
# bounded time, one after the other: hack/fuzz.sh [seconds-per-target] (default 30).
# 0 runs only the committed seed corpora (testdata/fuzz/<Target>/), as `go test` always does.
# FUZZ_PARALLEL sets the fuzzing workers (default: one per core). A crasher is written by Go to
# <package>/testdata/fuzz/<Target>/: commit it with the fix, so it stays a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-30}"
case "$secs" in
  ''|*[!0-9]*) echo "usage: hack/fuzz.sh [seconds-per-target]" >&2; exit 2 ;;
esac

# "<package dir> <target>" for every fuzz target, sorted.
mapfile -t targets < <(git ls-files --cached --others --exclude-standard '*_test.go' \
  | xargs grep -H -o '^func Fuzz[A-Za-z0-9_]*' \
  | sed -E 's#^(.*)/[^/]+_test\.go:func (Fuzz[A-Za-z0-9_]*)$#\1 \2#' | sort -u)
[ "${#targets[@]}" -gt 0 ] || { echo "fuzz: no fuzz targets found" >&2; exit 1; }

if [ "$secs" -eq 0 ]; then
  mapfile -t pkgs < <(printf '%s\n' "${targets[@]}" | cut -d' ' -f1 | sort -u | sed 's#^#./#')
  exec go test -run '^Fuzz' "${pkgs[@]}"
fi

parallel=()
[ -n "${FUZZ_PARALLEL:-}" ] && parallel=(-parallel "$FUZZ_PARALLEL")
failed=()
for t in "${targets[@]}"; do
  dir=${t% *} name=${t#* }
  echo "fuzz: $dir $name for ${secs}s"
  # go test's own -timeout (10m by default) must outlast the fuzzing, or a 10-minute run fails as
  # a "context deadline exceeded" at its very end.
  if ! go test "./$dir" -run '^$' -fuzz "^${name}\$" -fuzztime "${secs}s" -timeout "$((secs + 300))s" "${parallel[@]}"; then
    failed+=("$dir $name")
  fi
done
if [ "${#failed[@]}" -gt 0 ]; then
  printf 'fuzz: failed: %s\n' "${failed[@]}" >&2
  echo "fuzz: crashers are in <package>/testdata/fuzz/<Target>/; fix, and commit them as regression tests" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${secs}s each without a failure"
