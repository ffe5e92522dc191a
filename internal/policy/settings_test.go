package policy

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/kforge/kforge/internal/finding"
)

// pack is a miniature built-in pack: a hygiene rule and a plain one, and tier data in which
// only prod is strict.
var pack = fstest.MapFS{
	"pods/pods.rego": {Data: []byte(`package kforge.pods

# METADATA
# title: Pods have probes
# custom:
#   id: KF-P-001
#   severity: error
#   hygiene: true
deny contains finding if {
	some obj in input.resources
	not obj.probe
	finding := {"msg": "no probe", "resource": obj}
}

# METADATA
# title: Pods are small
# custom:
#   id: KF-P-002
#   severity: error
deny contains finding if {
	some obj in input.resources
	obj.big
	finding := {"msg": "too big", "resource": obj}
}
`)},
	"pods/pods_test.rego": {Data: []byte("package kforge.pods_test\n\ntest_nothing if true\n")},
	"data.json":           {Data: []byte(`{"kforge": {"tiers": {"prod": {"strict_hygiene": true}, "dev": {"strict_hygiene": false}}}}`)},
}

func podInput(env EnvInfo) Input {
	return Input{Environment: env, Resources: []map[string]any{
		{"apiVersion": "v1", "kind": "Pod", "metadata": map[string]any{"name": "a", "namespace": "shop"}, "big": true},
	}}
}

func TestBuiltinPack(t *testing.T) {
	ctx := context.Background()
	e, err := Load(ctx, nil, nil, Options{Root: testRoot(t), Builtin: pack})
	if err != nil {
		t.Fatal(err)
	}
	if !e.Builtin() {
		t.Fatal("Builtin() = false, want the pack loaded")
	}
	cat := e.Catalogue()
	if len(cat) != 2 || cat[0].ID != "KF-P-001" || cat[0].Source != "builtin" || cat[0].State != "hygiene" ||
		!strings.HasPrefix(cat[0].File, BuiltinPrefix+"/pods/") {
		t.Fatalf("Catalogue() = %+v", cat)
	}

	// A directory declaring one of the pack's packages replaces the pack.
	other := fstest.MapFS{"canary/c.rego": {Data: []byte("package kforge.canary\n")}}
	e, err = Load(ctx, []string{"kforge"}, nil, Options{Root: testRoot(t), Builtin: other})
	if err != nil {
		t.Fatal(err)
	}
	if e.Builtin() {
		t.Error("the pack was loaded beside a directory declaring kforge.canary")
	}

	// No policy at all: an engine that finds nothing.
	e, err = Load(ctx, nil, nil, Options{Root: testRoot(t)})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(ctx, podInput(EnvInfo{Name: "x"}))
	if err != nil || len(fs) != 0 {
		t.Fatalf("Evaluate without policies = %v, %v", fs, err)
	}
}

func TestSettings(t *testing.T) {
	today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	type got struct{ id, severity string }
	tests := []struct {
		name     string
		settings Settings
		env      EnvInfo
		want     []got
		settingF []string // rule ids of SettingsFindings(true)
	}{
		{name: "defaults: hygiene is a warning without a tier", env: EnvInfo{Name: "x"},
			want: []got{{"KF-P-002", "error"}, {"KF-P-001", "warning"}}},
		{name: "a strict tier makes hygiene an error", env: EnvInfo{Name: "x", Tier: "prod"},
			want: []got{{"KF-P-001", "error"}, {"KF-P-002", "error"}}},
		{name: "tier by pattern", env: EnvInfo{Name: "environments/prod-eu"},
			settings: Settings{Tiers: Tiers{Patterns: []TierPattern{{Match: "environments/prod-*", Tier: "prod"}}, Default: "dev"}},
			want:     []got{{"KF-P-001", "error"}, {"KF-P-002", "error"}}},
		{name: "tier from another label", env: EnvInfo{Name: "x", Tier: "dev", Labels: map[string]string{"stage": "prod"}},
			settings: Settings{Tiers: Tiers{Label: "stage"}},
			want:     []got{{"KF-P-001", "error"}, {"KF-P-002", "error"}}},
		{name: "disabled and overridden", env: EnvInfo{Name: "x"},
			settings: Settings{Disable: []string{"KF-P-002"}, Severity: map[string]finding.Severity{"KF-P-001": finding.SeverityInfo}},
			want:     []got{{"KF-P-001", "info"}}},
		{name: "a current exception waives, an unused one is reported", env: EnvInfo{Name: "environments/x"},
			settings: Settings{Exceptions: []Exception{
				{Rule: "KF-P-002", Resources: "Pod/shop/*", Environments: []string{"environments/*"}, Reason: "r", Expires: today},
				{Rule: "KF-P-001", Resources: "Pod/other/*", Reason: "r"},
			}},
			want: []got{{"KF-P-001", "warning"}}, settingF: []string{RuleUnusedException}},
		{name: "an expired exception waives nothing and is an error", env: EnvInfo{Name: "x"},
			settings: Settings{Exceptions: []Exception{{Rule: "KF-P-002", Reason: "r", Expires: today.AddDate(0, 0, -1), Line: 7}}},
			want:     []got{{"KF-P-002", "error"}, {"KF-P-001", "warning"}}, settingF: []string{RuleExpiredException}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.settings.Today = today
			tt.settings.File = "kforge.yaml"
			e, err := Load(context.Background(), nil, nil, Options{Root: testRoot(t), Builtin: pack, Settings: tt.settings})
			if err != nil {
				t.Fatal(err)
			}
			fs, err := e.Evaluate(context.Background(), podInput(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			var out []got
			for _, f := range fs {
				out = append(out, got{f.RuleID, string(f.Severity)})
			}
			if len(out) != len(tt.want) {
				t.Fatalf("findings = %v, want %v", out, tt.want)
			}
			for i := range out {
				if out[i] != tt.want[i] {
					t.Fatalf("findings = %v, want %v", out, tt.want)
				}
			}
			var ids []string
			for _, f := range e.SettingsFindings(true) {
				ids = append(ids, f.RuleID)
				if f.File != "kforge.yaml" {
					t.Errorf("%s located at %q, want kforge.yaml", f.RuleID, f.File)
				}
			}
			if strings.Join(ids, ",") != strings.Join(tt.settingF, ",") {
				t.Errorf("SettingsFindings = %v, want %v", ids, tt.settingF)
			}
		})
	}
}
