#!/usr/bin/env bash
# Checks (or, with --fix, applies) the formatting and lint rules of every language in the
# repository: Go (golangci-lint with .golangci.yml: gofmt and the linters), Jsonnet (jsonnetfmt
# and jsonnet-lint from go-jsonnet), Rego (opa fmt and opa check --strict) and the GitHub Actions
# workflows under docs/ (actionlint, which also runs shellcheck on their scripts when shellcheck
# is installed). The tools are pinned in go.mod's tool block, except golangci-lint, pinned in
# hack/tools/go.mod, and actionlint, pinned in hack/tools/actionlint/go.mod: their dependencies
# cannot share a module graph with OPA's or with each other (see those files). A fresh machine
# needs only Go.
set -euo pipefail
cd "$(dirname "$0")/.."

fix=false
[ "${1:-}" = "--fix" ] && fix=true
status=0
fail() { echo "lint: $*" >&2; status=1; }

mapfile -t jsonnet_files < <(git ls-files --cached --others --exclude-standard '*.jsonnet' '*.libsonnet' \
  | grep -v -e '^vendor-jsonnet/' -e '/testdata/' || true)
mapfile -t rego_dirs < <(git ls-files --cached --others --exclude-standard 'policies/*.rego' \
  | xargs -r -n1 dirname | sort -u)
mapfile -t workflow_files < <(git ls-files --cached --others --exclude-standard 'docs/*.yaml' 'docs/*.yml' \
  | xargs -r grep -l -E '^jobs:' || true)

# Go. `fmt` covers every file, also those built only on other platforms; `run` type-checks the
# packages of this platform and runs the linters on them (other checkouts may lint at the same time).
golangci_lint() { go tool -modfile=hack/tools/go.mod golangci-lint "$@"; }
if $fix; then
  golangci_lint run --allow-parallel-runners --fix ./... || fail "golangci-lint run --fix: findings left to fix by hand"
  golangci_lint fmt
else
  golangci_lint fmt --diff || fail "Go not gofmt-clean (run 'make fmt')"
  golangci_lint run --allow-parallel-runners ./... || fail "golangci-lint run"
fi

# Jsonnet.
if [ "${#jsonnet_files[@]}" -gt 0 ]; then
  if $fix; then
    go tool jsonnetfmt -i "${jsonnet_files[@]}"
  else
    go tool jsonnetfmt --test "${jsonnet_files[@]}" || fail "Jsonnet not jsonnetfmt-clean (run 'make fmt')"
  fi
  for f in "${jsonnet_files[@]}"; do
    dir=$(dirname "$f")
    go tool jsonnet-lint -J "$dir" -J lib -J vendor-jsonnet "$f" || fail "jsonnet-lint: $f"
  done
fi

# Rego. opa check --strict is the linter: Regal (github.com/open-policy-agent/regal, formerly
# github.com/styrainc/regal) is not served by the Go module proxy this project builds from.
if [ "${#rego_dirs[@]}" -gt 0 ]; then
  if $fix; then
    go tool opa fmt -w policies
  else
    out=$(go tool opa fmt -l policies)
    [ -z "$out" ] || fail "Rego not opa-fmt-clean (run 'make fmt'):"$'\n'"$out"
  fi
  go tool opa check --strict policies || fail "opa check --strict policies"
fi

# GitHub Actions workflows. The examples under docs/ are not in .github/workflows, where
# actionlint looks by itself, so every YAML file under docs/ with a top-level jobs: key is named.
if [ "${#workflow_files[@]}" -gt 0 ]; then
  go tool -modfile=hack/tools/actionlint/go.mod actionlint "${workflow_files[@]}" || fail "actionlint"
fi

exit $status
