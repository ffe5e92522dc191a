package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// userTags are the build tags kforge is built with for users (the Makefile's TAGS, hack/dist.sh,
// the Dockerfile, action.yml, the README's go install line).
const userTags = "kustomize_disable_go_plugin_support"

// TestVersion builds the kforge binary with the version set by -ldflags -X and the build tags, as
// make dist does, and checks what `kforge version` and `kforge --version` report: test binaries
// carry no dependency list in their build information, so only a real binary shows the engines
// and the tags. It builds without -trimpath so that the packages come from the build cache the
// test itself filled.
func TestVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kforge binary")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("find the go command: %v", err)
	}
	exe := filepath.Join(t.TempDir(), "kforge")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	build := exec.Command(gobin, "build", "-o", exe, "-tags", userTags,
		"-ldflags", "-X github.com/kforge/kforge/internal/cli.Version=v9.8.7-test", ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	version, err := exec.Command(exe, "version").Output()
	if err != nil {
		t.Fatalf("kforge version: %v", err)
	}
	for _, want := range []string{
		`^kforge v9\.8\.7-test\n`,
		`\nrevision (unknown|[0-9a-f]{40})\n`,
		`\ntime (unknown|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\n`,
		`\nmodified (unknown|true|false)\n`,
		`\ngo go1\.\d+`,
		`\ntags ` + userTags + `\n`,
		`\ngithub\.com/google/go-jsonnet v0\.\d+\.\d+`,
		`\ngithub\.com/open-policy-agent/opa v1\.\d+\.\d+`,
	} {
		if !regexp.MustCompile(want).Match(version) {
			t.Errorf("kforge version does not match %s:\n%s", want, version)
		}
	}
	flag, err := exec.Command(exe, "--version").Output()
	if err != nil {
		t.Fatalf("kforge --version: %v", err)
	}
	if string(flag) != string(version) {
		t.Errorf("kforge --version printed\n%s\nkforge version printed\n%s", flag, version)
	}
}

// TestUserBuildDoesNotLinkPlugin checks that the build users get does not link package "plugin"
// (kustomize's Go-plugin loader, which kforge never uses: krusty's default options allow only
// builtin plugins), and that a plain build still does, so the tag keeps its reason to exist. A
// binary linking "plugin" is dynamically linked and exports every symbol (docs/performance.md).
func TestUserBuildDoesNotLinkPlugin(t *testing.T) {
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("find the go command: %v", err)
	}
	deps := func(tags ...string) []string {
		args := append([]string{"list", "-deps"}, tags...)
		cmd := exec.Command(gobin, append(args, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go %s: %v", strings.Join(args, " "), err)
		}
		return strings.Fields(string(out))
	}
	if slices.Contains(deps("-tags", userTags), "plugin") {
		t.Errorf("kforge built with -tags %s links package plugin", userTags)
	}
	if !slices.Contains(deps(), "plugin") {
		t.Errorf("a plain build of kforge no longer links package plugin: -tags %s may be obsolete (Makefile, README)", userTags)
	}
}
