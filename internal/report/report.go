// Package report renders the result of a validation run: one model
// ([Report]) and one writer per output format, each in its own file —
// text, json, github, sarif, junit, markdown, and conftest's tap and table.
// Writers are pure functions of the report and their [Options]: they sort
// what they print, read no environment variables and write only to the
// io.Writer they are given, so the same report always renders to the same
// bytes.
package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// Report is everything a validation run found.
type Report struct {
	// Tool and Version name the program, e.g. "kforge" and "v0.3.0".
	Tool    string
	Version string
	// Environments holds one result per validated environment.
	Environments []EnvironmentResult
	// Rules is the rule catalogue: the rules of the loaded policies and of the
	// built-in checks. A rule a finding names but the catalogue lacks is added
	// from the finding.
	Rules []finding.Rule
	// Run describes the run the report comes from, so that the reports of a sharded run can
	// be merged (Merge); nil when not known. Only the json format writes it.
	Run *RunInfo
}

// EnvironmentResult is one environment's part of a report.
type EnvironmentResult struct {
	// Name is the environment's Tanka name, e.g. environments/prod.
	Name string
	// Tier is the environment's tier label.
	Tier string
	// Entrypoint is the environment's main.jsonnet, repository-relative: the
	// location of findings that name no file.
	Entrypoint string
	// Resources is the number of manifests validated.
	Resources int
	// Findings are the environment's findings: policies, schemas, golden drift, and the run
	// failures (KF-RUN-*) that kept it from being validated.
	Findings []finding.Finding
	// Status is StatusPassed, StatusFailed or StatusError; empty derives it from Findings.
	Status string
	// shared are findings of this environment that an earlier environment of the report holds
	// too (one outcome with several Environments): counted here, printed there.
	shared []finding.Finding
}

// Counts tallies findings by severity.
type Counts struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
}

// Total is the number of findings counted.
func (c Counts) Total() int { return c.Errors + c.Warnings + c.Infos }

func (c *Counts) add(severity finding.Severity) {
	switch severity {
	case finding.SeverityError:
		c.Errors++
	case finding.SeverityWarning:
		c.Warnings++
	default:
		c.Infos++
	}
}

// addAll tallies fs.
func (c *Counts) addAll(fs []finding.Finding) {
	for _, f := range fs {
		c.add(f.Severity)
	}
}

// Counts tallies the environment's findings.
func (e EnvironmentResult) Counts() Counts {
	var c Counts
	c.addAll(e.all())
	return c
}

// Summary totals a report.
type Summary struct {
	Environments int
	// NotValidated is the number of environments that could not be validated (status error).
	NotValidated int
	Resources    int
	Counts
}

// Summary totals the report's environments, resources and findings; a finding several
// environments share counts once.
func (r Report) Summary() Summary {
	r = r.normalized()
	s := Summary{Environments: len(r.Environments)}
	for _, e := range r.Environments {
		s.Resources += e.Resources
		s.addAll(e.Findings)
		if e.notValidated() {
			s.NotValidated++
		}
	}
	return s
}

// Options tunes the writers. The zero value is the plain default of every format.
type Options struct {
	// Color enables ANSI colours in the text format. The caller decides: on
	// when writing to a terminal and NO_COLOR is unset or empty.
	Color bool
	// FailOnWarning makes warnings failing test cases in the junit format
	// (kforge validate --fail-on warning); otherwise they are reported in
	// system-out of passing test cases.
	FailOnWarning bool
	// MaxAnnotations is how many findings of each severity the github format
	// turns into annotations; zero means GitHub's limit of 10 per step.
	MaxAnnotations int
	// MaxMarkdownBytes caps the markdown output; zero means 65,536, GitHub's
	// limit for a comment body.
	MaxMarkdownBytes int
	// PathPrefix is prepended to every repository-relative path in SARIF,
	// GitHub annotations and Markdown: kforge's root relative to the root of
	// the git work tree (e.g. "deploy"), empty when they are the same.
	PathPrefix string
	// ReportFiles name the files the full report is also written to (the
	// --report files); the github format's final notice points at them when
	// some findings could not be annotated.
	ReportFiles []string
}

// The output formats.
const (
	FormatText     = "text"
	FormatJSON     = "json"
	FormatGitHub   = "github"
	FormatSARIF    = "sarif"
	FormatJUnit    = "junit"
	FormatMarkdown = "markdown"
	FormatTAP      = "tap"
	FormatTable    = "table"
)

// Formats lists the output formats Write accepts.
func Formats() []string {
	return []string{FormatText, FormatJSON, FormatGitHub, FormatSARIF, FormatJUnit, FormatMarkdown, FormatTAP, FormatTable}
}

// Write renders r in the named format.
func Write(w io.Writer, format string, r Report, opts Options) error {
	switch format {
	case FormatText:
		return WriteText(w, r, opts)
	case FormatJSON:
		return WriteJSON(w, r, opts)
	case FormatGitHub:
		return WriteGitHub(w, r, opts)
	case FormatSARIF:
		return WriteSARIF(w, r, opts)
	case FormatJUnit:
		return WriteJUnit(w, r, opts)
	case FormatMarkdown:
		return WriteMarkdown(w, r, opts)
	case FormatTAP:
		return WriteTAP(w, r, opts)
	case FormatTable:
		return WriteTable(w, r, opts)
	}
	return fmt.Errorf("unknown output format %q (want one of %s)", format, strings.Join(Formats(), ", "))
}

// normalized returns a copy of r in canonical order: environments by name,
// findings by finding.Compare, rules by id. Findings without a file
// point at their environment's entrypoint, and every rule a finding names
// has a catalogue entry.
func (r Report) normalized() Report {
	out := r
	out.Environments = make([]EnvironmentResult, len(r.Environments))
	known := map[string]bool{}
	out.Rules = slices.Clone(r.Rules)
	for _, rule := range out.Rules {
		known[rule.ID] = true
	}
	for i, e := range r.Environments {
		e.Findings = slices.Clone(e.Findings)
		for j := range e.Findings {
			f := &e.Findings[j]
			if f.File == "" && len(f.Environments) <= 1 {
				f.File = e.Entrypoint
			}
			if f.Environment == "" {
				f.Environment = e.Name
			}
			if len(f.Environments) > 1 {
				f.Environments = slices.Clone(f.Environments)
				slices.Sort(f.Environments)
			}
			if !known[f.RuleID] {
				known[f.RuleID] = true
				out.Rules = append(out.Rules, finding.Rule{ID: f.RuleID, Severity: f.Severity, Title: f.Title, File: f.Source})
			}
		}
		finding.Sort(e.Findings)
		e.Findings = rootCausesFirst(e.Findings)
		out.Environments[i] = e
	}
	slices.SortStableFunc(out.Environments, func(a, b EnvironmentResult) int { return cmp.Compare(a.Name, b.Name) })
	dedupeShared(out.Environments)
	slices.SortStableFunc(out.Rules, func(a, b finding.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// plural renders "1 error", "2 errors".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// countsText renders "2 errors, 1 warning" (zero counts left out) or "no findings".
func countsText(c Counts) string {
	var parts []string
	if c.Errors > 0 {
		parts = append(parts, plural(c.Errors, "error"))
	}
	if c.Warnings > 0 {
		parts = append(parts, plural(c.Warnings, "warning"))
	}
	if c.Infos > 0 {
		parts = append(parts, fmt.Sprintf("%d info", c.Infos))
	}
	if len(parts) == 0 {
		return "no findings"
	}
	return strings.Join(parts, ", ")
}

// summaryText renders "2 environments, 215 resources: 2 errors, 1 warning", or
// "3 environments (1 not validated), ..." when some could not be validated.
func summaryText(s Summary) string {
	envs := plural(s.Environments, "environment")
	if s.NotValidated > 0 {
		envs += fmt.Sprintf(" (%d not validated)", s.NotValidated)
	}
	counts := countsText(s.Counts)
	if s.NotValidated > 0 && s.Total() == 0 {
		counts = "run failed"
	}
	return fmt.Sprintf("%s, %s: %s", envs, plural(s.Resources, "resource"), counts)
}

// subject names what a finding is about: the resource, or the environment.
func subject(f finding.Finding) string {
	if s := f.Resource.String(); s != "" {
		return s
	}
	return "environment"
}
