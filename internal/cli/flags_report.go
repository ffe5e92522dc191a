package cli

import (
	"cmp"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/report"
)

// reportFlags choose how a report is printed.
type reportFlags struct {
	// output is the format printed on stdout.
	output string
	// files are extra reports written to files, as format=path.
	files []string
	// failOn is the lowest severity that fails the run: error or warning.
	failOn string
	// failOnWarn is conftest's --fail-on-warn, the same as --fail-on warning.
	failOnWarn bool
	// noFail is conftest's --no-fail: findings never fail the run (a run failure still does).
	noFail bool
	// pathPrefix is --path-prefix.
	pathPrefix pathPrefixFlag
	// root is the directory the report's paths are relative to (kforge's root, or the working
	// directory for --manifests); its place in the git work tree is the default --path-prefix.
	root string
}

func (f *reportFlags) addFlags(fs *pflag.FlagSet) {
	f.addOutputFlags(fs)
	fs.StringVar(&f.failOn, "fail-on", string(finding.SeverityError), "lowest severity that makes the run fail (exit 1): error or warning")
	fs.BoolVar(&f.failOnWarn, "fail-on-warn", false, "warnings fail the run too (exit 1): the same as --fail-on warning")
	fs.BoolVar(&f.noFail, "no-fail", false, "exit 0 whatever the findings (a run failure or invalid input still exits 2)")
	f.pathPrefix.addFlag(fs, "github, sarif and markdown reports")
}

// addOutputFlags adds -o and --report alone (kforge report merge takes the other settings from
// the reports it merges).
func (f *reportFlags) addOutputFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&f.output, "output", "o", report.FormatText, "report format on stdout: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.files, "report", nil, "also write a report to a file, as format=path (repeatable), e.g. sarif=kforge.sarif")
	f.failOn = string(finding.SeverityError)
}

func (f *reportFlags) validate() error {
	if !validFormat(f.output) {
		return usageErrorf("unknown output format %q: use one of %s", f.output, strings.Join(report.Formats(), ", "))
	}
	for _, spec := range f.files {
		format, file, ok := strings.Cut(spec, "=")
		if !ok || file == "" || !validFormat(format) {
			return usageErrorf("--report %q: want format=path with a format among %s", spec, strings.Join(report.Formats(), ", "))
		}
	}
	if sev := finding.Severity(f.failOn); sev != finding.SeverityError && sev != finding.SeverityWarning {
		return usageErrorf("--fail-on %q: use error or warning", f.failOn)
	}
	if f.failOnWarn {
		f.failOn = string(finding.SeverityWarning)
	}
	return nil
}

func validFormat(format string) bool {
	for _, f := range report.Formats() {
		if f == format {
			return true
		}
	}
	return false
}

// reportSettings are what shapes a report beyond its format and decides the exit code.
type reportSettings struct {
	// failOn is the lowest severity that fails the run; noFail is --no-fail.
	failOn finding.Severity
	noFail bool
	// pathPrefix is the resolved --path-prefix.
	pathPrefix string
}

// write prints r on streams.Out and into every --report file, then turns the counts into the
// command's result: a findings error (exit 1) when anything at or above --fail-on was found,
// unless --no-fail (which never hides a run failure: the caller returns that as exit 2). The
// settings are recorded in r.Run, when there is one, for kforge report merge.
func (f *reportFlags) write(streams IOStreams, wd string, r report.Report) error {
	s := reportSettings{failOn: finding.Severity(f.failOn), noFail: f.noFail, pathPrefix: f.pathPrefix.resolve(cmp.Or(f.root, wd))}
	if r.Run != nil {
		run := *r.Run
		run.FailOn, run.NoFail, run.PathPrefix = s.failOn, s.noFail, s.pathPrefix
		r.Run = &run
	}
	return f.writeWith(streams, wd, r, s)
}

// writeWith is write with the given settings.
func (f *reportFlags) writeWith(streams IOStreams, wd string, r report.Report, s reportSettings) error {
	failOnWarning := s.failOn == finding.SeverityWarning
	opts := report.Options{Color: streams.useColor(streams.Out), FailOnWarning: failOnWarning,
		PathPrefix: s.pathPrefix, ReportFiles: f.reportFiles()}
	if err := report.Write(streams.Out, f.output, r, opts); err != nil {
		return fmt.Errorf("write %s report: %w", f.output, err)
	}
	for _, spec := range f.files {
		format, file, _ := strings.Cut(spec, "=")
		if err := atomicfile.Write(absPath(wd, file), atomicfile.Options{Perm: 0o644}, func(w io.Writer) error {
			return report.Write(w, format, r, report.Options{FailOnWarning: opts.FailOnWarning, PathPrefix: opts.PathPrefix})
		}); err != nil {
			return fmt.Errorf("write %s report %s: %w", format, file, fsutil.OpWithoutPath(err))
		}
	}
	sum := r.Summary()
	if s.noFail && !r.Failed() {
		return nil
	}
	if sum.Errors > 0 || (failOnWarning && sum.Warnings > 0) {
		return findingsErrorf("%s and %s in %s", count(sum.Errors, "error", "errors"), count(sum.Warnings, "warning", "warnings"), count(sum.Environments, "environment", "environments"))
	}
	return nil
}
