package policy

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/loader"

	"github.com/kforge/kforge/internal/finding"
)

// The rule names conftest reports, as conftest matches them.
var (
	conftestFailure = regexp.MustCompile(`^(deny|violation)(_[a-zA-Z0-9]+)*$`)
	conftestWarning = regexp.MustCompile(`^warn(_[a-zA-Z0-9]+)*$`)
)

// plannedBody ties a reporting rule to the parsed rule body it was made from,
// so its annotations can be read from the compiled module afterwards.
type plannedBody struct {
	rr      *reportingRule
	module  string
	name    string
	private string // the name of the body's copy; empty for complete conftest rules
	row     int
	col     int
}

// plan finds the reporting rules of every module and, for each partial set
// rule body, appends a copy under a private name to the module, so each body
// can be queried on its own. It runs before compilation and mutates modules.
func (e *Engine) plan(modules map[string]*ast.Module, opts Options) ([]*plannedBody, error) {
	namespaces := opts.Namespaces
	if len(namespaces) == 0 {
		namespaces = []string{DefaultNamespace}
	}
	selected := func(pkg string) bool { return opts.AllNamespaces || slices.Contains(namespaces, pkg) }

	var (
		bodies   []*plannedBody
		errs     Errors
		complete = map[string]bool{} // conftest rules queried by name, "pkg.name"
		n        int
	)
	names := make([]string, 0, len(modules))
	for name := range modules {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, modName := range names {
		m := modules[modName]
		pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
		kforge := isKforgePackage(m.Package.Path)
		for _, r := range slices.Clone(m.Rules) {
			rn := ruleName(r)
			var style string
			switch {
			case kforge && (rn == "deny" || rn == "warn"):
				if !isSetRule(r) {
					errs = append(errs, e.ruleError(r, fmt.Sprintf("%s in package %s must be a partial set rule: `%s contains finding if { ... }`", rn, pkg, rn)))
					continue
				}
				style = StyleKforge
			case !kforge && (conftestFailure.MatchString(rn) || conftestWarning.MatchString(rn)):
				if isBooleanRule(r) {
					errs = append(errs, e.ruleError(r, fmt.Sprintf("%s uses `if` without `contains`, so it can never report a message (conftest skips it silently); write `%s contains msg if { ... }`", rn, rn)))
					continue
				}
				if !selected(pkg) || len(r.Head.Args) > 0 {
					continue
				}
				style = StyleConftest
			default:
				continue
			}

			rr := &reportingRule{style: style, pkg: pkg, name: rn}
			var private string
			if isSetRule(r) {
				private = fmt.Sprintf("__kforge_%d__", n)
				n++
				cp := r.Copy()
				cp.Annotations = nil
				cp.Head.Name = ast.Var(private)
				cp.Head.Reference = ast.Ref{ast.VarTerm(private)}
				m.Rules = append(m.Rules, cp)
				rr.ref = m.Package.Path.Append(ast.StringTerm(private))
			} else {
				// A complete conftest rule (e.g. violation := [...]) is queried by
				// its own name, once, and attributed to its first body.
				key := pkg + "." + rn
				if complete[key] {
					continue
				}
				complete[key] = true
				rr.ref = m.Package.Path.Append(ast.StringTerm(rn))
			}
			loc := r.Loc()
			bodies = append(bodies, &plannedBody{rr: rr, module: modName, name: rn, private: private, row: loc.Row, col: loc.Col})
			if style == StyleKforge {
				rr.binding = fmt.Sprintf("k%d", len(e.kforgeRules))
				e.kforgeRules = append(e.kforgeRules, rr)
			} else {
				rr.binding = fmt.Sprintf("c%d", len(e.conftestRules))
				e.conftestRules = append(e.conftestRules, rr)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return bodies, nil
}

// privateNames maps the private names of copied rule bodies back to the
// policy's rule names, so that no error shows a name the user never wrote.
// The private names end in "__", so no name is a prefix of another.
func privateNames(bodies []*plannedBody) *strings.Replacer {
	var pairs []string
	for _, b := range bodies {
		if b.private != "" {
			pairs = append(pairs, b.private, b.name)
		}
	}
	return strings.NewReplacer(pairs...)
}

// userNames replaces the private names of copied rule bodies in s.
func (e *Engine) userNames(s string) string {
	if e.names == nil {
		return s
	}
	return e.names.Replace(s)
}

// describe reads each reporting rule's METADATA chain (rule, document, package
// and subpackages scopes) from the compiled modules.
func (e *Engine) describe(c *ast.Compiler, bodies []*plannedBody) error {
	as := c.GetAnnotationSet()
	var errs Errors
	for _, b := range bodies {
		var compiled *ast.Rule
		for _, r := range c.Modules[b.module].Rules {
			if loc := r.Loc(); loc != nil && loc.Row == b.row && loc.Col == b.col && ruleName(r) == b.name {
				compiled = r
				break
			}
		}
		if compiled == nil {
			return fmt.Errorf("find compiled rule %s at %s:%d", b.name, e.rel(b.module), b.row)
		}
		rr := b.rr
		rr.rule = finding.Rule{
			Package: rr.pkg,
			File:    e.rel(compiled.Loc().File),
			Line:    compiled.Loc().Row,
			Style:   rr.style,
		}
		var id string
		var severity finding.Severity
		for _, ref := range as.Chain(compiled) {
			a := ref.Annotations
			if a == nil {
				continue
			}
			// Title, description and id describe one rule: they come from the
			// rule and document scopes only. A package may set a default severity.
			own := a.Scope == "rule" || a.Scope == "document"
			if own {
				rr.rule.Title = cmp.Or(rr.rule.Title, a.Title)
				rr.rule.Description = cmp.Or(rr.rule.Description, a.Description)
			}
			if v, ok := a.Custom["id"]; ok && own && id == "" {
				s, isString := v.(string)
				if !isString || s == "" {
					errs = append(errs, e.annotationError(a, "custom.id must be a non-empty string"))
				}
				id = s
			}
			if v, ok := a.Custom["hygiene"]; ok && own {
				rr.hygiene = v == true
			}
			if v, ok := a.Custom["severity"]; ok && severity == "" {
				s, _ := v.(string)
				if !finding.Severity(s).Valid() {
					errs = append(errs, e.annotationError(a, fmt.Sprintf("custom.severity must be %q, %q or %q, not %v", finding.SeverityError, finding.SeverityWarning, finding.SeverityInfo, v)))
				}
				severity = finding.Severity(s)
			}
		}
		if rr.style == StyleConftest {
			// conftest decides severity by rule name and knows no ids.
			id, severity = "", ""
		}
		rr.rule.ID = cmp.Or(id, rr.pkg+"."+rr.name)
		if severity == "" {
			severity = finding.SeverityError
			if rr.name == "warn" || conftestWarning.MatchString(rr.name) {
				severity = finding.SeverityWarning
			}
		}
		rr.rule.Severity = severity
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// catalogue builds the rule list: one entry per id, from its first body.
func (e *Engine) catalogue() {
	all := make([]finding.Rule, 0, len(e.kforgeRules)+len(e.conftestRules))
	for _, rr := range slices.Concat(e.kforgeRules, e.conftestRules) {
		all = append(all, rr.rule)
	}
	slices.SortStableFunc(all, func(a, b finding.Rule) int {
		return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	all = slices.CompactFunc(all, func(a, b finding.Rule) bool { return a.ID == b.ID })
	e.rules = all
	e.byID = make(map[string]*finding.Rule, len(all))
	for i := range e.rules {
		e.byID[e.rules[i].ID] = &e.rules[i]
	}
	e.hygiene = map[string]bool{}
	for _, rr := range e.kforgeRules {
		if rr.hygiene {
			e.hygiene[rr.rule.ID] = true
		}
	}
}

// Rules returns the rule catalogue sorted by id, for the rule descriptors of
// reports: disabled rules left out, severity overrides applied, and the
// KF-POLICY rules when kforge.yaml declares exceptions. A nil engine has none.
func (e *Engine) Rules() []finding.Rule {
	if e == nil {
		return nil
	}
	var out []finding.Rule
	for _, r := range e.rules {
		if e.settings.disabled[r.ID] {
			continue
		}
		if sev, ok := e.settings.Severity[r.ID]; ok {
			r.Severity = sev
		}
		out = append(out, r)
	}
	if len(e.settings.Exceptions) > 0 {
		out = append(out, settingsRules()...)
	}
	return out
}

// RuleState is one entry of `kforge policy list`: a rule, where it comes from and its state.
type RuleState struct {
	finding.Rule
	// Source is "builtin" for the built-in pack, else the rule's policy directory.
	Source string `json:"source"`
	// State is "enabled", "disabled", "severity overridden" or, for a hygiene rule,
	// "hygiene" (a warning unless the environment's tier is strict).
	State string `json:"state"`
}

// Catalogue returns every loaded rule with its source and state, sorted by id.
func (e *Engine) Catalogue() []RuleState {
	out := make([]RuleState, 0, len(e.rules))
	for _, r := range e.rules {
		s := RuleState{Rule: r, Source: path.Dir(r.File), State: "enabled"}
		if IsBuiltin(r.File) {
			s.Source = "builtin"
		}
		for _, d := range e.dirs {
			if d == "." || strings.HasPrefix(r.File, d+"/") {
				s.Source = d
				break
			}
		}
		switch sev, overridden := e.settings.Severity[r.ID]; {
		case e.settings.disabled[r.ID]:
			s.State = "disabled"
		case overridden:
			s.Severity, s.State = sev, "severity overridden"
		case e.hygiene[r.ID]:
			s.State = "hygiene"
		}
		out = append(out, s)
	}
	return out
}

// Builtin reports whether the built-in pack was loaded (it is skipped when a policy directory
// declares one of its packages).
func (e *Engine) Builtin() bool {
	return e.builtin
}

// SettingsFindings reports the expired exceptions (KF-POLICY-001) and, when complete (every
// environment was evaluated), the exceptions that waived nothing (KF-POLICY-002). Call it
// after the run's evaluations.
func (e *Engine) SettingsFindings(complete bool) []finding.Finding {
	return e.settings.findings(complete)
}

// UnusedExceptions reports the exceptions that waived nothing in the evaluations so far, as the
// KF-POLICY-002 findings a run over every environment reports for them. A sharded run records
// them so that merging its reports can report the exceptions no shard used. Call it after the
// run's evaluations.
func (e *Engine) UnusedExceptions() []finding.Finding {
	var out []finding.Finding
	for _, f := range e.settings.findings(true) {
		if f.RuleID == RuleUnusedException {
			out = append(out, f)
		}
	}
	return out
}

// kforgeQuery binds every kforge rule body's finding set to its variable.
func kforgeQuery(rules []*reportingRule) string {
	lines := make([]string, len(rules))
	for i, rr := range rules {
		lines[i] = rr.binding + " = " + rr.ref.String()
	}
	return strings.Join(lines, "\n")
}

// conftestQueryText evaluates every selected conftest rule against one
// manifest (input.resource), with data.conftest.file set as conftest sets it,
// and checks the package's exception rule once per rule-name suffix, with the
// query conftest uses: data.<ns>.exception[_][_] == "<suffix>".
func (e *Engine) conftestQueryText() string {
	const with = " with input as kf_resource with data.conftest.file as kf_file"
	lines := []string{"kf_resource := input.resource", "kf_file := input.file"}
	exceptions := map[string]string{}
	for _, rr := range e.conftestRules {
		lines = append(lines, fmt.Sprintf("%s := [x | x := %s%s]", rr.binding, rr.ref, with))
		key := rr.pkg + "\x00" + conftestSuffix(rr.name)
		if v, ok := exceptions[key]; ok {
			rr.excepted = v
			continue
		}
		v := fmt.Sprintf("x%d", len(exceptions))
		exceptions[key] = v
		rr.excepted = v
		exc := ast.MustParseRef("data." + rr.pkg).Append(ast.StringTerm("exception"))
		lines = append(lines, fmt.Sprintf("%s := [1 | %s[_][_] == %s%s]", v, exc, ast.StringTerm(conftestSuffix(rr.name)), with))
	}
	e.conftestExceptions = len(exceptions)
	return strings.Join(lines, "\n")
}

// conftestSuffix is the name an exception uses for a rule: deny_foo,
// violation_foo and warn_foo are "foo"; bare deny, violation and warn are "".
func conftestSuffix(name string) string {
	switch name {
	case "deny", "violation", "warn":
		return ""
	}
	for _, p := range []string{"violation_", "deny_", "warn_"} {
		name = strings.TrimPrefix(name, p)
	}
	return name
}

func isKforgePackage(path ast.Ref) bool {
	return len(path) >= 2 && path[1].Value.Compare(ast.String("kforge")) == 0
}

// ruleName is the name of a rule whose head is a single identifier, else "".
func ruleName(r *ast.Rule) string {
	if ref := r.Head.Ref(); len(ref) == 1 {
		if v, ok := ref[0].Value.(ast.Var); ok {
			return string(v)
		}
	}
	return ""
}

func isSetRule(r *ast.Rule) bool {
	return r.Head.Key != nil && r.Head.Value == nil && len(r.Head.Args) == 0
}

func isBooleanRule(r *ast.Rule) bool {
	return r.Head.Key == nil && r.Head.Value != nil && r.Head.Value.Value.Compare(ast.Boolean(true)) == 0
}

func (e *Engine) ruleError(r *ast.Rule, msg string) *Error {
	loc := r.Loc()
	return &Error{Kind: KindCompile, File: e.rel(loc.File), Line: loc.Row, Column: loc.Col, Message: msg}
}

func (e *Engine) annotationError(a *ast.Annotations, msg string) *Error {
	err := &Error{Kind: KindCompile, Message: "METADATA: " + msg}
	if a.Location != nil {
		err.File, err.Line = e.rel(a.Location.File), a.Location.Row
	}
	return err
}

// loadError converts loader errors: parse errors become KindCompile errors
// with file and line, the rest KindLoad errors with repository-relative paths.
func (e *Engine) loadError(err error) error {
	list := []error{err}
	if le, ok := errors.AsType[loader.Errors](err); ok {
		list = le
	}
	var out Errors
	for _, x := range list {
		if ae, ok := errors.AsType[*ast.Error](x); ok {
			out = append(out, e.astError(ae, nil))
			continue
		}
		out = append(out, &Error{Kind: KindLoad, Message: e.relText(x.Error()), Err: x})
	}
	return out.simplify()
}

// compileErrors converts compiler and query-preparation errors, sorted by
// place. The private copies of rule bodies make the compiler report a problem
// in a body twice, once under the copy's name: the names are mapped back and
// the duplicates removed, so each problem is reported once, under the rule
// name the policy uses.
func (e *Engine) compileErrors(err error, removed []string) error {
	var out Errors
	if aes, ok := errors.AsType[ast.Errors](err); ok {
		for _, ae := range aes {
			out = append(out, e.astError(ae, removed))
		}
	} else if ae, ok := errors.AsType[*ast.Error](err); ok {
		out = append(out, e.astError(ae, removed))
	} else {
		out = append(out, &Error{Kind: KindCompile, Message: e.relText(e.userNames(err.Error())), Err: err})
	}
	slices.SortStableFunc(out, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column), cmp.Compare(a.Message, b.Message))
	})
	out = slices.CompactFunc(out, func(a, b *Error) bool {
		return a.File == b.File && a.Line == b.Line && a.Column == b.Column && a.Message == b.Message
	})
	return out.simplify()
}

func (e *Engine) astError(ae *ast.Error, removed []string) *Error {
	msg := ae.Code + ": " + e.relText(e.userNames(ae.Message))
	switch {
	case ae.Code == ast.ParseErr && strings.Contains(ae.Message, "keyword is required"):
		msg += " (kforge reads Rego v1: pass --rego-version v0 for older policies, or convert them with `opa fmt --v0-v1 -w`)"
	case strings.HasPrefix(ae.Message, "undefined function "):
		if fn := strings.TrimPrefix(ae.Message, "undefined function "); slices.Contains(removed, fn) {
			msg += fmt.Sprintf(" (kforge policies may not use network, clock, randomness or environment built-ins: %s)", strings.Join(removed, ", "))
		}
	}
	out := &Error{Kind: KindCompile, Message: msg, Err: ae}
	if ae.Location != nil {
		out.File, out.Line, out.Column = e.rel(ae.Location.File), ae.Location.Row, ae.Location.Col
	}
	return out
}

// simplify returns a single error as itself, several as Errors.
func (es Errors) simplify() error {
	if len(es) == 1 {
		return es[0]
	}
	return es
}
