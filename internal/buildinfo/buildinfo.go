// Package buildinfo describes a kforge build from the Go build information embedded in the
// binary: the module version, the version-control stamp (revision, commit time, dirty flag), the
// Go toolchain and the versions of the engines compiled in (go-jsonnet, OPA and Helm).
package buildinfo

import (
	"fmt"
	"io"
	"runtime/debug"
	"strings"
)

// DevVersion is the version of a build that carries none: a local `go build` without
// version-control stamping (-buildvcs=false), a test binary, or a binary without build information.
const DevVersion = "dev"

// Module is a dependency compiled into the binary.
type Module struct {
	// Path is the module path, e.g. github.com/open-policy-agent/opa.
	Path string
	// Version is the module version, or the replacement's when the module is replaced.
	Version string
}

// Info is what `kforge version` reports.
type Info struct {
	// Version is the -ldflags -X override when one was given, else the main module's version
	// (a release tag for `go install …@vX.Y.Z`, a pseudo-version for a stamped local build), else
	// DevVersion.
	Version string
	// Revision is the commit the binary was built from (vcs.revision); empty when not stamped.
	Revision string
	// Time is that commit's time (vcs.time, RFC 3339); empty when not stamped.
	Time string
	// Modified reports uncommitted changes in the working tree at build time (vcs.modified);
	// meaningful only when Revision is set.
	Modified bool
	// GoVersion is the toolchain that built the binary, e.g. go1.26.0.
	GoVersion string
	// Tags are the build tags the binary was built with (the -tags setting, comma-separated),
	// e.g. kustomize_disable_go_plugin_support for the builds of make build and the releases;
	// empty for a plain go build.
	Tags string
	// Engines are the go-jsonnet, OPA and Helm modules compiled in, in build-info order.
	Engines []Module
}

// Read describes the running binary; override is the version set with -ldflags -X, which wins
// over the module version unless it is empty or DevVersion.
func Read(override string) Info {
	bi, _ := debug.ReadBuildInfo()
	return FromBuildInfo(bi, override)
}

// FromBuildInfo describes the build bi (nil when the binary has no build information); override
// is as for Read.
func FromBuildInfo(bi *debug.BuildInfo, override string) Info {
	info := Info{Version: DevVersion}
	if bi != nil {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			info.Version = v
		}
		info.GoVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				info.Revision = s.Value
			case "vcs.time":
				info.Time = s.Value
			case "vcs.modified":
				info.Modified = s.Value == "true"
			case "-tags":
				info.Tags = s.Value
			}
		}
		for _, dep := range bi.Deps {
			if isEngine(dep.Path) {
				info.Engines = append(info.Engines, module(dep))
			}
		}
	}
	if override != "" && override != DevVersion {
		info.Version = override
	}
	return info
}

// isEngine tells whether path is a module whose version changes what kforge renders or decides.
func isEngine(path string) bool {
	switch path {
	case "github.com/google/go-jsonnet", "github.com/open-policy-agent/opa":
		return true
	}
	// helm.sh/helm/v3, helm.sh/helm/v4, …
	return strings.HasPrefix(path, "helm.sh/helm/")
}

// module names the code actually compiled in for dep: its replacement when it has one.
func module(dep *debug.Module) Module {
	m := Module{Path: dep.Path, Version: dep.Version}
	if r := dep.Replace; r != nil {
		m.Version = r.Version
		if r.Version == "" { // replaced by a local directory
			m.Version = "=> " + r.Path
		} else if r.Path != dep.Path {
			m.Version = "=> " + r.Path + " " + r.Version
		}
	}
	return m
}

// Write prints info as `kforge version` does: "kforge <version>" on the first line, then one
// "<key> <value>" line each for the revision, its time, the dirty flag, Go, the build tags and
// every engine. A build without version-control stamping says "unknown" for the first three; a
// build without tags says "tags none".
func (info Info) Write(w io.Writer) error {
	revision, commitTime, modified := "unknown", "unknown", "unknown"
	if info.Revision != "" {
		revision, modified = info.Revision, fmt.Sprint(info.Modified)
		if info.Time != "" {
			commitTime = info.Time
		}
	}
	goVersion := info.GoVersion
	if goVersion == "" {
		goVersion = "unknown"
	}
	tags := info.Tags
	if tags == "" {
		tags = "none"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "kforge %s\nrevision %s\ntime %s\nmodified %s\ngo %s\ntags %s\n", info.Version, revision, commitTime, modified, goVersion, tags)
	for _, m := range info.Engines {
		fmt.Fprintf(&b, "%s %s\n", m.Path, m.Version)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write version: %w", err)
	}
	return nil
}

// String is Write's output.
func (info Info) String() string {
	var b strings.Builder
	_ = info.Write(&b) // a strings.Builder does not fail
	return b.String()
}
