// actionlint, which checks the GitHub Actions workflows under docs/ (hack/lint.sh), run from
// the repository root with `go tool -modfile=hack/tools/actionlint/go.mod actionlint`.
//
// It has a module of its own: in go.mod's tool block it would move modules the project builds
// with (github.com/fatih/color, github.com/mattn/go-runewidth, github.com/clipperhouse/uax29),
// and beside golangci-lint in hack/tools/go.mod it does not build (golangci-lint's gosec needs
// go.yaml.in/yaml/v4 v4.0.0-rc.6, whose parser API actionlint v1.7.12, written for rc.3, lacks).
// Update with: cd hack/tools/actionlint && go get -tool github.com/rhysd/actionlint/cmd/actionlint@VERSION && go mod tidy
module github.com/kforge/kforge/hack/tools/actionlint

go 1.26.0

tool github.com/rhysd/actionlint/cmd/actionlint

require (
	github.com/bmatcuk/doublestar/v4 v4.10.0 // indirect
	github.com/clipperhouse/uax29/v2 v2.7.0 // indirect
	github.com/fatih/color v1.19.0 // indirect
	github.com/mattn/go-colorable v0.1.14 // indirect
	github.com/mattn/go-isatty v0.0.20 // indirect
	github.com/mattn/go-runewidth v0.0.21 // indirect
	github.com/mattn/go-shellwords v1.0.12 // indirect
	github.com/rhysd/actionlint v1.7.12 // indirect
	github.com/robfig/cron/v3 v3.0.1 // indirect
	go.yaml.in/yaml/v4 v4.0.0-rc.3 // indirect
	golang.org/x/sync v0.20.0 // indirect
	golang.org/x/sys v0.42.0 // indirect
)
