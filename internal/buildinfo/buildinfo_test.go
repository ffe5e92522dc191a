package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	deps := []*debug.Module{
		{Path: "github.com/google/go-jsonnet", Version: "v0.22.0"},
		{Path: "github.com/open-policy-agent/opa", Version: "v1.22.4"},
		{Path: "github.com/spf13/cobra", Version: "v1.10.2"},
		{Path: "helm.sh/helm/v4", Version: "v4.1.0"},
	}
	stamped := []debug.BuildSetting{
		{Key: "-trimpath", Value: "true"},
		{Key: "vcs", Value: "git"},
		{Key: "vcs.revision", Value: "3997dc4aa8a3f1c1d6f0b2e5c7d9e1f3a5b7c9d1"},
		{Key: "vcs.time", Value: "2026-12-06T22:49:50Z"},
		{Key: "vcs.modified", Value: "true"},
	}
	tests := []struct {
		name     string
		bi       *debug.BuildInfo
		override string
		want     string
	}{{
		name: "no build information",
		want: "kforge dev\nrevision unknown\ntime unknown\nmodified unknown\ngo unknown\ntags none\n",
	}, {
		name: "local build without VCS stamping",
		bi: &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/kforge/kforge", Version: "(devel)"},
			Deps: deps[:2], Settings: stamped[:1]},
		want: "kforge dev\nrevision unknown\ntime unknown\nmodified unknown\ngo go1.26.0\ntags none\n" +
			"github.com/google/go-jsonnet v0.22.0\ngithub.com/open-policy-agent/opa v1.22.4\n",
	}, {
		name: "go install of a release with the build tags of make build, Helm compiled in",
		bi: &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Path: "github.com/kforge/kforge", Version: "v1.2.3"},
			Deps: deps, Settings: []debug.BuildSetting{{Key: "-tags", Value: "kustomize_disable_go_plugin_support"}, {Key: "CGO_ENABLED", Value: "0"},
				{Key: "vcs.revision", Value: "abc123"}, {Key: "vcs.modified", Value: "false"}}},
		want: "kforge v1.2.3\nrevision abc123\ntime unknown\nmodified false\ngo go1.26.1\ntags kustomize_disable_go_plugin_support\n" +
			"github.com/google/go-jsonnet v0.22.0\ngithub.com/open-policy-agent/opa v1.22.4\nhelm.sh/helm/v4 v4.1.0\n",
	}, {
		name: "stamped checkout with uncommitted changes",
		bi: &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/kforge/kforge", Version: "v0.0.0-20261206224950-3997dc4aa8a3+dirty"},
			Deps: deps[:1], Settings: stamped},
		want: "kforge v0.0.0-20261206224950-3997dc4aa8a3+dirty\nrevision 3997dc4aa8a3f1c1d6f0b2e5c7d9e1f3a5b7c9d1\n" +
			"time 2026-12-06T22:49:50Z\nmodified true\ngo go1.26.0\ntags none\ngithub.com/google/go-jsonnet v0.22.0\n",
	}, {
		name:     "-ldflags -X override wins over the module version",
		bi:       &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v0.0.0-20261206224950-3997dc4aa8a3"}, Settings: stamped},
		override: "v1.3.0",
		want:     "kforge v1.3.0\nrevision 3997dc4aa8a3f1c1d6f0b2e5c7d9e1f3a5b7c9d1\ntime 2026-12-06T22:49:50Z\nmodified true\ngo go1.26.0\ntags none\n",
	}, {
		name:     "the default override value is no override",
		bi:       &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "v1.2.3"}},
		override: DevVersion,
		want:     "kforge v1.2.3\nrevision unknown\ntime unknown\nmodified unknown\ngo go1.26.0\ntags none\n",
	}, {
		name: "replaced engines report the replacement",
		bi: &debug.BuildInfo{GoVersion: "go1.26.0", Deps: []*debug.Module{
			{Path: "github.com/google/go-jsonnet", Version: "v0.22.0", Replace: &debug.Module{Path: "../go-jsonnet"}},
			{Path: "github.com/open-policy-agent/opa", Version: "v1.22.4", Replace: &debug.Module{Path: "github.com/open-policy-agent/opa", Version: "v1.23.0"}},
			{Path: "helm.sh/helm/v3", Version: "v3.19.0", Replace: &debug.Module{Path: "example.com/helm/v3", Version: "v3.19.1"}},
		}},
		want: "kforge dev\nrevision unknown\ntime unknown\nmodified unknown\ngo go1.26.0\ntags none\n" +
			"github.com/google/go-jsonnet => ../go-jsonnet\ngithub.com/open-policy-agent/opa v1.23.0\nhelm.sh/helm/v3 => example.com/helm/v3 v3.19.1\n",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromBuildInfo(tt.bi, tt.override).String(); got != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

// TestReadRunningBinary checks what the test binary reports about itself whatever the build flags
// (GOFLAGS=-buildvcs=false in CI): the first line and the Go version. The engines are not linked
// into this test binary; internal/cli's tests check them.
func TestReadRunningBinary(t *testing.T) {
	out := Read(DevVersion).String()
	if !strings.Contains(out, "\ngo go1.") {
		t.Errorf("version output lacks the Go version:\n%s", out)
	}
	if !strings.HasPrefix(out, "kforge ") {
		t.Errorf("first line is not \"kforge <version>\":\n%s", out)
	}
	if got := Read("v9.9.9").Version; got != "v9.9.9" {
		t.Errorf("Read(override).Version = %q, want the override", got)
	}
}
