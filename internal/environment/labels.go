package environment

import (
	"fmt"

	"k8s.io/apimachinery/pkg/labels"
)

// LabelSelector picks environments by their metadata.labels with a kubectl label selector
// (`-l team=web,tier in (prod,canary),!legacy`), as `tk env list -l` and `tk export -l` do.
type LabelSelector struct {
	sel labels.Selector
}

// ParseLabelSelector parses a kubectl label selector. The empty string selects everything.
func ParseLabelSelector(s string) (*LabelSelector, error) {
	sel, err := labels.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("parse label selector %q: %w", s, err)
	}
	return &LabelSelector{sel: sel}, nil
}

// Empty reports whether the selector selects every environment (nil, or no requirement).
func (l *LabelSelector) Empty() bool { return l == nil || l.sel.Empty() }

// Matches reports whether env's metadata.labels satisfy the selector.
func (l *LabelSelector) Matches(env Environment) bool {
	return l.Empty() || l.sel.Matches(labels.Set(env.Spec.Metadata.Labels))
}

// Filter returns the environments the selector matches, in their order; envs itself when the
// selector is empty.
func (l *LabelSelector) Filter(envs []Environment) []Environment {
	if l.Empty() {
		return envs
	}
	var out []Environment
	for _, e := range envs {
		if l.Matches(e) {
			out = append(out, e)
		}
	}
	return out
}

// String is the selector in kubectl's canonical form.
func (l *LabelSelector) String() string {
	if l == nil {
		return ""
	}
	return l.sel.String()
}
