package manifest

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
)

// Filter selects manifests by target expressions (`-t kind/name`).
// A nil *Filter keeps everything. A Filter remembers which inclusions kept
// some manifest ([Filter.Unmatched]); it is safe for concurrent use.
type Filter struct {
	include []*regexp.Regexp
	exclude []*regexp.Regexp
	// exprs are the inclusions as written, matched[i] records that include[i]
	// kept a manifest.
	exprs   []string
	matched []atomic.Bool
	// excludes are the exclusions as written.
	excludes []string
}

// ParseTargets compiles target expressions: each is a regular expression
// matched case-insensitively against "<kind>/<name>" of a manifest, anchored
// at both ends; a leading "!" makes it an exclusion. Unlike Tanka, an
// exclusion does not cancel the inclusions: a manifest is kept when it
// matches some inclusion (or there is none) and no exclusion.
func ParseTargets(exprs []string) (*Filter, error) {
	f := &Filter{}
	for _, expr := range exprs {
		pattern, exclude := strings.CutPrefix(expr, "!")
		if pattern == "" {
			return nil, fmt.Errorf("parse target %q: empty expression (want kind/name, e.g. deployment/order-service)", expr)
		}
		re, err := regexp.Compile(`(?i)^(?:` + pattern + `)$`)
		if err != nil {
			return nil, fmt.Errorf("parse target %q: %w", expr, err)
		}
		if exclude {
			f.exclude = append(f.exclude, re)
			f.excludes = append(f.excludes, expr)
		} else {
			f.include = append(f.include, re)
			f.exprs = append(f.exprs, expr)
		}
	}
	f.matched = make([]atomic.Bool, len(f.include))
	return f, nil
}

// TankaReading says how Tanka reads filters that mix inclusions and exclusions differently, in
// one line, and is empty for any other filter. Tanka ORs every expression and counts an
// exclusion as matching everything, so a single exclusion makes it keep every resource that no
// exclusion matches, whatever the inclusions say; kforge keeps what matches an inclusion and no
// exclusion.
func (f *Filter) TankaReading() string {
	if f == nil || len(f.include) == 0 || len(f.exclude) == 0 {
		return ""
	}
	return fmt.Sprintf("-t %s with -t %s: kforge keeps the resources an inclusion matches, minus the exclusions; tk would ignore the inclusions and keep every resource no exclusion matches",
		strings.Join(f.exprs, " -t "), strings.Join(f.excludes, " -t "))
}

// Match reports whether the filter keeps m.
func (f *Filter) Match(m *Manifest) bool {
	if f == nil {
		return true
	}
	return f.MatchKindName(m.KindName())
}

// MatchKindName is Match for a manifest's "<kind>/<name>". A kept manifest
// counts as a match of every inclusion it matches.
func (f *Filter) MatchKindName(s string) bool {
	if f == nil {
		return true
	}
	if matchAny(f.exclude, s) {
		return false
	}
	if len(f.include) == 0 {
		return true
	}
	kept := false
	for i, re := range f.include {
		if re.MatchString(s) {
			f.matched[i].Store(true)
			kept = true
		}
	}
	return kept
}

// Unmatched returns the inclusions, as written, that have kept no manifest so
// far, in the order given.
func (f *Filter) Unmatched() []string {
	if f == nil {
		return nil
	}
	var out []string
	for i, expr := range f.exprs {
		if !f.matched[i].Load() {
			out = append(out, expr)
		}
	}
	return out
}

// Empty reports whether the filter keeps everything (nil, or no expressions).
func (f *Filter) Empty() bool {
	return f == nil || (len(f.include) == 0 && len(f.exclude) == 0)
}

// Keep returns the manifests the filter keeps, in their order. It returns ms
// itself when the filter has no expressions.
func (f *Filter) Keep(ms []*Manifest) []*Manifest {
	if f.Empty() {
		return ms
	}
	out := make([]*Manifest, 0, len(ms))
	for _, m := range ms {
		if f.Match(m) {
			out = append(out, m)
		}
	}
	return out
}

func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}
