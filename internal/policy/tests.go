package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/cover"
	"github.com/open-policy-agent/opa/v1/storage/inmem"
	"github.com/open-policy-agent/opa/v1/tester"
)

// The outcomes of one Rego unit test (TestResult.Status).
const (
	TestPass  = "pass"
	TestFail  = "fail"
	TestError = "error"
	TestSkip  = "skip"
)

// TestOptions configures [RunTests].
type TestOptions struct {
	// Root is the absolute repository root: relative directories are resolved against it and
	// paths in results are made relative to it. Empty means the working directory.
	Root string
	// RegoVersion is the syntax the policies and tests are written in: RegoV1 (or empty) or RegoV0.
	RegoVersion string
	// Coverage also computes which lines of each file the tests evaluated.
	Coverage bool
	// Timeout bounds each test; zero means DefaultTimeout.
	Timeout time.Duration
}

// TestResult is the outcome of one test_ rule.
type TestResult struct {
	// Package is the test's package without "data.", e.g. kforge.canary.
	Package string `json:"package"`
	// Name is the test rule's name, e.g. test_weights_sum_to_100.
	Name string `json:"name"`
	// File and Line locate the test rule, repository-relative.
	File string `json:"file"`
	Line int    `json:"line"`
	// Status is TestPass, TestFail, TestError or TestSkip (a todo_test_ rule).
	Status string `json:"status"`
	// Message says why a test errored.
	Message string `json:"message,omitempty"`
	// Output is what the test printed with print().
	Output string `json:"output,omitempty"`
	// Duration is how long the test ran.
	Duration time.Duration `json:"durationNs"`
}

// FileCoverage is the coverage of one policy file.
type FileCoverage struct {
	// File is repository-relative.
	File string `json:"file"`
	// Covered and NotCovered count the file's evaluated and never-evaluated lines.
	Covered    int `json:"coveredLines"`
	NotCovered int `json:"notCoveredLines"`
	// Percent is Covered / (Covered + NotCovered) in percent; 100 for a file with no lines to cover.
	Percent float64 `json:"coverage"`
	// NotCoveredLines lists the lines never evaluated, as "12" or "12-15".
	NotCoveredLines []string `json:"notCovered,omitempty"`
}

// TestReport is the outcome of a test run.
type TestReport struct {
	// Results are sorted by package, then test name.
	Results []TestResult `json:"results"`
	// Coverage has one entry per file, sorted by file, when TestOptions.Coverage is set.
	Coverage []FileCoverage `json:"coverage,omitempty"`
	// CoveragePercent is the coverage over all files, when TestOptions.Coverage is set.
	CoveragePercent float64 `json:"coveragePercent,omitempty"`
}

// Counts tallies the results by status: passed, failed (including errors) and skipped.
func (r TestReport) Counts() (passed, failed, skipped int) {
	for _, t := range r.Results {
		switch t.Status {
		case TestPass:
			passed++
		case TestSkip:
			skipped++
		default:
			failed++
		}
	}
	return passed, failed, skipped
}

// Failed reports whether a test failed or errored.
func (r TestReport) Failed() bool {
	_, failed, _ := r.Counts()
	return failed > 0
}

// RunTests runs the Rego unit tests (test_ rules, todo_test_ rules skipped) of the .rego files
// under dirs, with their data.json/data.yaml files loaded as data, the way `opa test` does:
// every test sees the same compiled policies and built-ins as [Load] allows. A policy that
// does not parse or compile yields [Errors] of KindCompile; a directory that does not exist or
// holds no .rego file a KindLoad error.
func RunTests(ctx context.Context, dirs []string, opts TestOptions) (TestReport, error) {
	version, err := ParseRegoVersion(opts.RegoVersion)
	if err != nil {
		return TestReport{}, &Error{Kind: KindLoad, Message: err.Error(), Err: err}
	}
	caps, removed := capabilities()
	e := &Engine{root: opts.Root}
	paths := make([]string, len(dirs))
	for i, d := range dirs {
		paths[i] = e.abs(d)
	}
	if err := e.checkDirs(dirs, paths); err != nil {
		return TestReport{}, err
	}
	result, err := loadFiles(paths, version, caps)
	if err != nil {
		return TestReport{}, e.loadError(err)
	}
	if err := e.checkModules(dirs, paths, result.Modules); err != nil {
		return TestReport{}, err
	}
	modules := result.ParsedModules()

	compiler := ast.NewCompiler().
		WithStrict(strictFor(version)).
		WithCapabilities(caps).
		WithDefaultRegoVersion(version)
	var cov *cover.Cover
	runner := tester.NewRunner().
		SetCompiler(compiler).
		SetStore(inmem.NewFromObject(result.Documents)).
		SetModules(modules).
		SetDefaultRegoVersion(version).
		RaiseBuiltinErrors(true).
		SetTimeout(cmp.Or(opts.Timeout, DefaultTimeout))
	if opts.Coverage {
		cov = cover.New()
		runner.SetCoverageQueryTracer(cov)
	}
	ch, err := runner.RunTests(ctx, nil)
	if err != nil {
		return TestReport{}, e.compileErrors(err, removed)
	}
	var rep TestReport
	for r := range ch {
		rep.Results = append(rep.Results, e.testResult(r))
	}
	slices.SortFunc(rep.Results, func(a, b TestResult) int {
		return cmp.Or(cmp.Compare(a.Package, b.Package), cmp.Compare(a.Name, b.Name), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	if cov != nil {
		rep.Coverage, rep.CoveragePercent = e.coverage(cov.Report(modules))
	}
	if err := ctx.Err(); err != nil {
		return rep, fmt.Errorf("run rego tests: %w", err)
	}
	return rep, nil
}

// testResult converts one tester result.
func (e *Engine) testResult(r *tester.Result) TestResult {
	out := TestResult{Package: strings.TrimPrefix(r.Package, "data."), Name: r.Name, Duration: r.Duration, Output: string(r.Output)}
	if r.Location != nil {
		out.File, out.Line = e.rel(r.Location.File), r.Location.Row
	}
	switch {
	case r.Error != nil:
		out.Status, out.Message = TestError, e.relText(r.Error.Error())
	case r.Fail:
		out.Status = TestFail
	case r.Skip:
		out.Status = TestSkip
	default:
		out.Status = TestPass
	}
	return out
}

// coverage turns OPA's coverage report into per-file entries, sorted by file.
func (e *Engine) coverage(r cover.Report) ([]FileCoverage, float64) {
	out := make([]FileCoverage, 0, len(r.Files))
	for file, fr := range r.Files {
		fc := FileCoverage{File: e.rel(file), Covered: fr.CoveredLines, NotCovered: fr.NotCoveredLines, Percent: percent(fr.CoveredLines, fr.NotCoveredLines)}
		fc.NotCoveredLines = lineRanges(fr.NotCovered)
		out = append(out, fc)
	}
	slices.SortFunc(out, func(a, b FileCoverage) int { return cmp.Compare(a.File, b.File) })
	return out, percent(r.CoveredLines, r.NotCoveredLines)
}

// lineRanges renders the rows of rs as "9" or "9-11", consecutive rows merged.
func lineRanges(rs []cover.Range) []string {
	var rows []int
	for _, r := range rs {
		for row := r.Start.Row; row <= r.End.Row; row++ {
			rows = append(rows, row)
		}
	}
	slices.Sort(rows)
	rows = slices.Compact(rows)
	var out []string
	for i := 0; i < len(rows); {
		j := i
		for j+1 < len(rows) && rows[j+1] == rows[j]+1 {
			j++
		}
		if i == j {
			out = append(out, fmt.Sprint(rows[i]))
		} else {
			out = append(out, fmt.Sprintf("%d-%d", rows[i], rows[j]))
		}
		i = j + 1
	}
	return out
}

// percent is covered lines over all lines, rounded to a hundredth; 100 when there is nothing to cover.
func percent(covered, notCovered int) float64 {
	total := covered + notCovered
	if total == 0 {
		return 100
	}
	return float64(covered*10000/total) / 100
}
