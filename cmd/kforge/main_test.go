package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"testing"
)

// TestVersion builds the kforge binary with the version set by -ldflags -X, as make dist does,
// and checks what `kforge version` and `kforge --version` report: test binaries carry no
// dependency list in their build information, so only a real binary shows the engines. It builds
// without -trimpath so that the packages come from the build cache the test itself filled.
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
	build := exec.Command(gobin, "build", "-o", exe,
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
