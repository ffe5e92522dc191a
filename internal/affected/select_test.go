package affected

import (
	"reflect"
	"slices"
	"testing"

	"github.com/kforge/kforge/internal/project"
)

func TestSelect(t *testing.T) {
	prod := Env{
		Name:  "environments/prod",
		Dir:   "environments/prod",
		JPath: envJPath("environments/prod"),
		Reads: []string{"environments/prod/main.jsonnet", "environments/prod/values.libsonnet",
			"lib/app.libsonnet", "lib/config.yaml", "vendor/kube/k.libsonnet"},
		Misses:      []string{"environments/prod/app.libsonnet", "lib/kube/k.libsonnet"},
		MissesKnown: true,
		Extra:       []string{"golden/prod"},
	}
	dev := Env{
		Name:  "environments/dev",
		Dir:   "environments/dev",
		JPath: envJPath("environments/dev"),
		Reads: []string{"environments/dev/main.jsonnet", "lib/app.libsonnet", "lib/config.yaml",
			"vendor/kube/k.libsonnet"},
		Misses:      []string{"environments/dev/app.libsonnet", "lib/kube/k.libsonnet"},
		MissesKnown: true,
	}
	flux := Env{
		Name:  "environments/flux",
		Dir:   "environments/flux",
		JPath: envJPath("environments/flux"),
		Reads: []string{"environments/flux/main.jsonnet"},
	}
	unknownDev := dev
	unknownDev.MissesKnown = false
	unknownDev.Misses = nil
	envs := []Env{prod, dev, flux}
	global := GlobalPaths(project.DefaultConfig(), true)

	tests := []struct {
		name        string
		changed     []string
		envs        []Env
		rules       Rules
		want        []string
		wantAll     bool
		wantReason  string
		wantBecause map[string][]string
	}{
		{name: "nothing changed", envs: envs, rules: Rules{Global: global},
			want: nil, wantBecause: map[string][]string{}},
		{name: "a file one environment reads", changed: []string{"environments/prod/values.libsonnet"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/prod"},
			wantBecause: map[string][]string{"environments/prod": {"environments/prod/values.libsonnet"}}},
		{name: "a shared library file", changed: []string{"lib/app.libsonnet"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/prod", "environments/dev"},
			wantBecause: map[string][]string{"environments/prod": {"lib/app.libsonnet"}, "environments/dev": {"lib/app.libsonnet"}}},
		{name: "an importstr target", changed: []string{"lib/config.yaml"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/prod", "environments/dev"},
			wantBecause: map[string][]string{"environments/prod": {"lib/config.yaml"}, "environments/dev": {"lib/config.yaml"}}},
		{name: "spec.json selects its environment", changed: []string{"environments/flux/spec.json"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/flux"},
			wantBecause: map[string][]string{"environments/flux": {"environments/flux/spec.json"}}},
		{name: "an extra path (golden directory)", changed: []string{"golden/prod/apps/deployment-web.yaml"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/prod"},
			wantBecause: map[string][]string{"environments/prod": {"golden/prod/apps/deployment-web.yaml"}}},
		{name: "a new file shadowing an import (known misses)", changed: []string{"lib/kube/k.libsonnet"},
			envs: []Env{prod, dev}, rules: Rules{Global: global}, want: []string{"environments/prod", "environments/dev"},
			wantBecause: map[string][]string{"environments/prod": {"lib/kube/k.libsonnet"}, "environments/dev": {"lib/kube/k.libsonnet"}}},
		{name: "a new file shadowing one environment's import", changed: []string{"environments/prod/app.libsonnet"},
			envs: []Env{prod, dev}, rules: Rules{Global: global}, want: []string{"environments/prod"},
			wantBecause: map[string][]string{"environments/prod": {"environments/prod/app.libsonnet"}}},
		{name: "an unused library file with known misses selects nothing", changed: []string{"lib/unused.libsonnet"},
			envs: []Env{prod, dev}, rules: Rules{Global: global}, want: nil, wantBecause: map[string][]string{}},
		{name: "an unread Jsonnet file under the search path with unknown misses", changed: []string{"lib/unused.libsonnet"},
			envs: []Env{prod, unknownDev, flux}, rules: Rules{Global: global}, want: []string{"environments/dev", "environments/flux"},
			wantBecause: map[string][]string{"environments/dev": {"lib/unused.libsonnet"}, "environments/flux": {"lib/unused.libsonnet"}}},
		{name: "unknown misses: a file another environment reads exists, so it shadows nothing new",
			changed: []string{"environments/prod/values.libsonnet"},
			envs:    []Env{prod, unknownDev}, rules: Rules{Global: global}, want: []string{"environments/prod"},
			wantBecause: map[string][]string{"environments/prod": {"environments/prod/values.libsonnet"}}},
		{name: "unknown misses: a non-Jsonnet file cannot shadow an import", changed: []string{"lib/README.md"},
			envs: []Env{unknownDev, flux}, rules: Rules{Global: global}, want: nil, wantBecause: map[string][]string{}},
		{name: "unknown misses: outside every search directory", changed: []string{"docs/x.jsonnet"},
			envs: []Env{unknownDev, flux}, rules: Rules{Global: global}, want: nil, wantBecause: map[string][]string{}},
		{name: "a deleted file is a change like any other", changed: []string{"vendor/kube/k.libsonnet"},
			envs: envs, rules: Rules{Global: global}, want: []string{"environments/prod", "environments/dev"},
			wantBecause: map[string][]string{"environments/prod": {"vendor/kube/k.libsonnet"}, "environments/dev": {"vendor/kube/k.libsonnet"}}},
		{name: "paths are cleaned and deduplicated", changed: []string{"./lib/app.libsonnet", "lib//app.libsonnet", ""},
			envs: []Env{dev}, rules: Rules{Global: global}, want: []string{"environments/dev"},
			wantBecause: map[string][]string{"environments/dev": {"lib/app.libsonnet"}}},
		{name: "kforge.yaml", changed: []string{"kforge.yaml", "lib/app.libsonnet"}, envs: envs, rules: Rules{Global: global},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "kforge.yaml changed"},
		{name: "jsonnetfile.json", changed: []string{"jsonnetfile.json"}, envs: envs, rules: Rules{Global: global},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "jsonnetfile.json changed"},
		{name: "tkrc.yaml", changed: []string{"tkrc.yaml"}, envs: envs, rules: Rules{Global: global},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "tkrc.yaml changed"},
		{name: "go.sum", changed: []string{"go.sum"}, envs: envs, rules: Rules{Global: global},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "go.sum changed"},
		{name: "a policy", changed: []string{"policies/canary/canary.rego"}, envs: envs, rules: Rules{Global: global},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "policies/canary/canary.rego changed"},
		{name: "policies do not count for render", changed: []string{"policies/canary/canary.rego"}, envs: envs,
			rules: Rules{Global: GlobalPaths(project.DefaultConfig(), false)}, want: nil, wantBecause: map[string][]string{}},
		{name: "the binary", envs: envs, rules: Rules{Global: global, BinaryChanged: true},
			want: []string{"environments/prod", "environments/dev", "environments/flux"}, wantAll: true, wantReason: "the kforge binary changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Select(tt.changed, tt.envs, tt.rules)
			if !slices.Equal(got.Envs, tt.want) {
				t.Errorf("Envs = %q, want %q", got.Envs, tt.want)
			}
			if got.All != tt.wantAll || got.Reason != tt.wantReason {
				t.Errorf("All, Reason = %v, %q; want %v, %q", got.All, got.Reason, tt.wantAll, tt.wantReason)
			}
			if !tt.wantAll && !reflect.DeepEqual(got.Because, tt.wantBecause) {
				t.Errorf("Because = %v, want %v", got.Because, tt.wantBecause)
			}
		})
	}
}

func TestGlobalPaths(t *testing.T) {
	cfg := project.DefaultConfig()
	cfg.Policies = []string{"./policies", "extra/rego/"}
	got := GlobalPaths(cfg, true)
	want := []string{"kforge.yaml", "tkrc.yaml", "jsonnetfile.json", "jsonnetfile.lock.json", "go.mod", "go.sum",
		"policies", "extra/rego"}
	if !slices.Equal(got, want) {
		t.Errorf("GlobalPaths = %q, want %q", got, want)
	}
	if got := GlobalPaths(cfg, false); len(got) != 6 {
		t.Errorf("GlobalPaths without policies = %q", got)
	}
}
