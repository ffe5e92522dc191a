# kforge — run `make help` for the targets.
GO      ?= go
BIN     ?= bin/kforge
ENVS    ?= --all
FUZZTIME ?= 30
# The flags kforge is built with for users (make build, hack/dist.sh, the Dockerfile, action.yml and
# the benchmarks use the same): kforge never loads kustomize Go plugins (.so files), and without
# this tag kustomize's loader imports package "plugin", which links the binary dynamically,
# exports every symbol and keeps every method: 91 MB of text instead of 69 MB and ~25 MB more
# resident memory on every run (docs/performance.md, start-up). CGO=0: a static binary (3 MB less
# resident memory; `make test` keeps cgo for the race detector).
TAGS    ?= kustomize_disable_go_plugin_support
CGO     ?= 0

.DEFAULT_GOAL := help

.PHONY: help schemas generate build install dist render test lint fmt golden verify bench bench-fixture fuzz clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-14s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

schemas: ## regenerate the committed schema data (internal/schema/generated) from the Go module cache
	$(GO) run ./hack/schemas -force

generate: ## regenerate policies/data.json from policies/data.jsonnet and the tier table (lib/config/tiers.libsonnet)
	$(GO) run ./hack/policydata

build: ## build bin/kforge (static, without kustomize's Go-plugin loader: TAGS, CGO)
	CGO_ENABLED=$(CGO) $(GO) build -tags $(TAGS) -o $(BIN) ./cmd/kforge

install: ## go install kforge with the same flags as make build
	CGO_ENABLED=$(CGO) $(GO) install -tags $(TAGS) ./cmd/kforge

dist: ## reproducible release archives for linux, darwin, windows x amd64, arm64 and SHA256SUMS in bin/release/ (VERSION=v1.2.3)
	GO=$(GO) TAGS=$(TAGS) hack/dist.sh

render: build ## render every environment into dist/<env>/ and validate it against the policies
	./$(BIN) export dist $(ENVS) --layout golden && ./$(BIN) validate $(ENVS)

test: ## go vet and every test (Go, Jsonnet, Rego, CLI scripts, golden files) with the race detector
	$(GO) vet ./... && $(GO) test -race -timeout 30m ./...

lint: ## check formatting and lint Go (golangci-lint, .golangci.yml), Jsonnet, Rego (opa check --strict) and the workflows in docs/ (actionlint)
	hack/lint.sh

fmt: ## format Go, Jsonnet and Rego in place
	hack/lint.sh --fix

golden: build ## re-render golden/ from the sources
	./$(BIN) golden update --all

verify: golden schemas generate ## fail when golden/, the committed schema data or policies/data.json is not what the sources give
	git diff --exit-code -- golden internal/schema/generated policies/data.json && test -z "$$(git status --porcelain -- golden internal/schema/generated policies/data.json)"

bench: ## run the Go benchmarks, then the end-to-end benchmark (hack/bench.sh)
	$(GO) test -run '^$$' -bench . -benchmem ./... && hack/bench.sh

bench-fixture: build ## end-to-end only: cold, warm, one-file, validate, golden and render runs on a generated repository (BENCH_ENVS=100 BENCH_SERVICES=30 TK=path/to/tk)
	KFORGE=$(BIN) hack/bench.sh

fuzz: ## run every Go fuzz target for FUZZTIME seconds each (default 30)
	hack/fuzz.sh $(FUZZTIME)

clean: ## remove build output
	rm -rf bin dist
