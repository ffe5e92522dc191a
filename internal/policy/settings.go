package policy

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/kforge/kforge/internal/finding"
)

// Rule ids of the findings the policy settings themselves produce.
const (
	// RuleExpiredException is an exception whose expiry date has passed: it no longer applies.
	RuleExpiredException = "KF-POLICY-001"
	// RuleUnusedException is an exception that matched no finding in a run over every environment.
	RuleUnusedException = "KF-POLICY-002"
)

// Settings configure the loaded rules (kforge.yaml `policy`). The zero value changes nothing.
type Settings struct {
	// Disable lists rule ids that produce no finding.
	Disable []string
	// Severity overrides the severity of rules by id, in findings and in the catalogue.
	Severity map[string]finding.Severity
	// Tiers decides an environment's tier when its own tier is not given.
	Tiers Tiers
	// Exceptions waive findings of one rule for matching resources and environments.
	Exceptions []Exception
	// File is where the settings come from (kforge.yaml), the location of KF-POLICY findings.
	File string
	// Today is the date expiry is judged against; zero means the current date.
	Today time.Time
}

// Tiers maps environments to tiers.
type Tiers struct {
	// Label is the spec.json metadata label holding the tier; empty means "tier".
	Label string
	// Patterns are tried in order on the environment name when the label is absent.
	Patterns []TierPattern
	// Default is the tier of an environment no label or pattern names; may be empty.
	Default string
}

// TierPattern gives the environments whose name matches Match (a path.Match glob) a tier.
type TierPattern struct {
	// Match is a glob on the environment name, e.g. environments/prod-*.
	Match string
	// Tier is the tier of the matching environments.
	Tier string
}

// Exception waives the findings of Rule on matching resources.
type Exception struct {
	// Rule is the rule id waived.
	Rule string
	// Resources is a glob on "kind/namespace/name" (path.Match syntax; "*" matches one part);
	// empty matches every resource.
	Resources string
	// Environments are globs on environment names; empty matches every environment.
	Environments []string
	// Reason says why the exception exists.
	Reason string
	// Expires is the last day the exception applies; zero means it does not expire.
	Expires time.Time
	// Line is the exception's line in File, 0 when unknown.
	Line int
}

// settings is the engine's compiled form of Settings, with the record of which exceptions matched.
type settings struct {
	Settings
	disabled map[string]bool
	// strictTiers are the tiers whose data (data.kforge.tiers.<tier>.strict_hygiene) asks for
	// the hygiene rules as errors.
	strictTiers map[string]bool

	mu   sync.Mutex
	used map[int]bool
}

func newSettings(s Settings, documents map[string]any) *settings {
	out := &settings{Settings: s, disabled: map[string]bool{}, strictTiers: map[string]bool{}, used: map[int]bool{}}
	for _, id := range s.Disable {
		out.disabled[id] = true
	}
	if out.Today.IsZero() {
		y, m, d := time.Now().Date()
		out.Today = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	kforge, _ := documents["kforge"].(map[string]any)
	tiers, _ := kforge["tiers"].(map[string]any)
	for name, t := range tiers {
		if row, ok := t.(map[string]any); ok && row["strict_hygiene"] == true {
			out.strictTiers[name] = true
		}
	}
	return out
}

// tier is the environment's tier: the Tiers.Label label, else the tier given, else the first
// pattern matching its name, else the default.
func (s *settings) tier(env EnvInfo) string {
	if s.Tiers.Label != "" && s.Tiers.Label != "tier" {
		if t := env.Labels[s.Tiers.Label]; t != "" {
			return t
		}
	} else if env.Tier != "" {
		return env.Tier
	}
	for _, p := range s.Tiers.Patterns {
		if ok, _ := path.Match(p.Match, env.Name); ok {
			return p.Tier
		}
	}
	return s.Tiers.Default
}

// expired reports whether x no longer applies.
func (s *settings) expired(x Exception) bool {
	return !x.Expires.IsZero() && s.Today.After(x.Expires)
}

// apply drops disabled rules' findings and excepted findings, applies severity overrides and
// the hygiene rules' tier-dependent severity, and records the exceptions used.
func (s *settings) apply(fs []finding.Finding, env EnvInfo, hygiene map[string]bool) []finding.Finding {
	out := fs[:0]
	for _, f := range fs {
		if s.disabled[f.RuleID] || s.excepted(f) {
			continue
		}
		if sev, ok := s.Severity[f.RuleID]; ok {
			f.Severity = sev
		} else if hygiene[f.RuleID] && f.Severity == finding.SeverityError && !s.strictTiers[env.Tier] {
			f.Severity = finding.SeverityWarning
		}
		out = append(out, f)
	}
	return out
}

// excepted reports whether an unexpired exception waives f, and records it as used.
func (s *settings) excepted(f finding.Finding) bool {
	res := f.Resource.Kind + "/" + f.Resource.Namespace + "/" + f.Resource.Name
	for i, x := range s.Exceptions {
		if x.Rule != f.RuleID || s.expired(x) {
			continue
		}
		if x.Resources != "" {
			if ok, _ := path.Match(x.Resources, res); !ok {
				continue
			}
		}
		if len(x.Environments) > 0 && !slices.ContainsFunc(x.Environments, func(g string) bool {
			ok, _ := path.Match(g, f.Environment)
			return ok
		}) {
			continue
		}
		s.mu.Lock()
		s.used[i] = true
		s.mu.Unlock()
		return true
	}
	return false
}

// findings reports the expired exceptions and, when every environment was evaluated
// (complete), the exceptions that matched nothing.
func (s *settings) findings(complete bool) []finding.Finding {
	var out []finding.Finding
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, x := range s.Exceptions {
		what := "the exception for " + x.Rule
		if x.Resources != "" {
			what += " on " + x.Resources
		}
		if x.Reason != "" {
			what += fmt.Sprintf(" (%s)", strings.TrimSuffix(x.Reason, "."))
		}
		switch {
		case s.expired(x):
			out = append(out, finding.Finding{RuleID: RuleExpiredException, Severity: finding.SeverityError,
				Title:   "Exceptions are current",
				Message: fmt.Sprintf("%s expired on %s: fix the findings it waived, or renew it with a new date", what, x.Expires.Format(time.DateOnly)),
				File:    s.File, Line: x.Line, Source: s.File})
		case complete && !s.used[i]:
			out = append(out, finding.Finding{RuleID: RuleUnusedException, Severity: finding.SeverityWarning,
				Title:   "Exceptions match a finding",
				Message: what + " matches no finding: remove it",
				File:    s.File, Line: x.Line, Source: s.File})
		}
	}
	return out
}

// settingsRules describes the KF-POLICY rules for the catalogue.
func settingsRules() []finding.Rule {
	return []finding.Rule{
		{ID: RuleExpiredException, Severity: finding.SeverityError, Title: "Exceptions are current",
			Description: "An exception in kforge.yaml whose expiry date has passed no longer waives findings and is itself an error.", Package: "kforge.yaml", Style: "settings"},
		{ID: RuleUnusedException, Severity: finding.SeverityWarning, Title: "Exceptions match a finding",
			Description: "An exception in kforge.yaml that waived nothing in a run over every environment is stale.", Package: "kforge.yaml", Style: "settings"},
	}
}
