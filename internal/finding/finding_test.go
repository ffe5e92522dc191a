package finding

import (
	"slices"
	"testing"
)

func TestResourceRefString(t *testing.T) {
	tests := []struct {
		ref  ResourceRef
		want string
	}{
		{ResourceRef{Kind: "Deployment", Namespace: "apps", Name: "web"}, "Deployment apps/web"},
		{ResourceRef{Kind: "Namespace", Name: "apps"}, "Namespace apps"},
		{ResourceRef{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := tt.ref.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSeverityRank(t *testing.T) {
	ordered := []Severity{SeverityError, SeverityWarning, SeverityInfo, "fatal"}
	for i, s := range ordered {
		if got := s.Rank(); got != i {
			t.Errorf("%q.Rank() = %d, want %d", s, got, i)
		}
		if got, want := s.Valid(), i < 3; got != want {
			t.Errorf("%q.Valid() = %v, want %v", s, got, want)
		}
	}
	if CompareSeverity(SeverityError, SeverityInfo) >= 0 || CompareSeverity(SeverityInfo, SeverityWarning) <= 0 {
		t.Error("CompareSeverity does not put the more severe first")
	}
}

func TestSort(t *testing.T) {
	web := ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "apps", Name: "web"}
	want := []Finding{
		{RuleID: "KF-2", Severity: SeverityError, Message: "b"},
		{RuleID: "KF-2", Severity: SeverityError, Resource: web, Message: "a"},
		{RuleID: "KF-2", Severity: SeverityError, Resource: web, Message: "a", File: "f", Line: 2},
		{RuleID: "KF-2", Severity: SeverityError, Resource: web, Message: "a", File: "f", Line: 10},
		{RuleID: "KF-1", Severity: SeverityWarning, Message: "z"},
		{RuleID: "KF-0", Severity: SeverityInfo, Message: "y"},
	}
	got := slices.Clone(want)
	slices.Reverse(got)
	Sort(got)
	if !slices.EqualFunc(got, want, Equal) {
		t.Errorf("Sort:\n%+v\nwant:\n%+v", got, want)
	}
}

func TestEqual(t *testing.T) {
	a := Finding{RuleID: "KF-1", Severity: SeverityError, Message: "m", Related: []Location{{File: "lib/a.libsonnet", Line: 3}}}
	b := a
	b.Related = slices.Clone(a.Related)
	if !Equal(a, b) {
		t.Error("Equal of copies is false")
	}
	for name, change := range map[string]func(*Finding){
		"title":    func(f *Finding) { f.Title = "t" },
		"severity": func(f *Finding) { f.Severity = "fatal" },
		"related":  func(f *Finding) { f.Related[0].Line = 4 },
		"column":   func(f *Finding) { f.Column = 1 },
	} {
		c := a
		c.Related = slices.Clone(a.Related)
		change(&c)
		if Equal(a, c) {
			t.Errorf("Equal ignores the %s", name)
		}
	}
}

func TestLocationString(t *testing.T) {
	for want, l := range map[string]Location{
		"":                               {},
		"environments/prod/main.jsonnet": {File: "environments/prod/main.jsonnet"},
		"lib/a.libsonnet:3":              {File: "lib/a.libsonnet", Line: 3},
		"lib/a.libsonnet:3:7":            {File: "lib/a.libsonnet", Line: 3, Column: 7},
	} {
		if got := l.String(); got != want {
			t.Errorf("%+v.String() = %q, want %q", l, got, want)
		}
	}
}
