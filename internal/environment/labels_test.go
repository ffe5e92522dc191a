package environment

import (
	"slices"
	"testing"
)

func TestLabelSelector(t *testing.T) {
	envs := []Environment{
		{Name: "web-prod", Spec: Spec{Metadata: Metadata{Labels: map[string]string{"team": "web", "tier": "prod"}}}},
		{Name: "web-dev", Spec: Spec{Metadata: Metadata{Labels: map[string]string{"team": "web", "tier": "dev"}}}},
		{Name: "bare"},
	}
	for _, tc := range []struct {
		name, selector string
		want           []string
	}{
		{"empty selects all", "", []string{"web-prod", "web-dev", "bare"}},
		{"equality", "team=web", []string{"web-prod", "web-dev"}},
		{"set", "tier in (prod,canary)", []string{"web-prod"}},
		{"inequality keeps unlabelled", "team!=web", []string{"bare"}},
		{"absence", "!team", []string{"bare"}},
		{"conjunction", "team=web,tier!=prod", []string{"web-dev"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel, err := ParseLabelSelector(tc.selector)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range sel.Filter(envs) {
				got = append(got, e.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%q selected %v, want %v", tc.selector, got, tc.want)
			}
		})
	}
	if _, err := ParseLabelSelector("team=("); err == nil {
		t.Error("a selector that does not parse was accepted")
	}
	var none *LabelSelector
	if !none.Empty() || len(none.Filter(envs)) != 3 {
		t.Error("a nil selector must select everything")
	}
}
