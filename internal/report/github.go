package report

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/termtext"
)

// githubAnnotationLimit is how many annotations of each kind (error,
// warning, notice) GitHub Actions shows per step.
const githubAnnotationLimit = 10

// WriteGitHub renders findings as GitHub Actions workflow commands:
//
//	::error file=golden/prod/apps/virtualservice-order-service.yaml,line=12,title=KF-CANARY-003 Canary weight within the tier cap::environments/prod: VirtualService apps/order-service: spec.http[1].route[1].weight sends 20%25 to canary subset "canary"; the prod tier caps canary traffic at 10%25
//
// Errors become ::error, warnings ::warning, info ::notice, most important
// first (see annotationOrder): GitHub shows at most 10 annotations of each
// kind per step, so only the first opts.MaxAnnotations (default 10) of each
// are annotated. The rest are listed as plain log lines, a summary line
// follows, and a final ::notice says how many findings were not annotated
// and where the full report is. Paths are prefixed with opts.PathPrefix.
//
// Workflow-command data is escaped as the runner expects (%, CR, LF; in
// properties also : and ,) and only there: the plain log lines print the
// text as it is, between ::stop-commands:: and its end token, so no finding
// can inject a command there either.
func WriteGitHub(w io.Writer, r Report, opts Options) error {
	r = r.normalized().withPathPrefix(opts.PathPrefix)
	limit := opts.MaxAnnotations
	if limit <= 0 {
		limit = githubAnnotationLimit
	}
	annotated, rest := splitAnnotations(annotationOrder(r), limit)
	bw := bufio.NewWriter(w)
	for _, f := range annotated {
		writeAnnotation(bw, f)
	}
	if len(rest) > 0 {
		var c Counts
		c.addAll(rest)
		fmt.Fprintf(bw, "kforge: %s not annotated (annotations are limited to %d of each kind per step):\n", countsText(c), limit)
		writeLogLines(bw, rest)
	}
	fmt.Fprintln(bw, "kforge: "+summaryText(r.Summary()))
	if len(rest) > 0 {
		fmt.Fprintf(bw, "::notice::%s\n", githubData(leftOutNotice(len(rest), limit, opts.ReportFiles)))
	}
	return bw.Flush()
}

// writeAnnotation prints one finding as a workflow command.
func writeAnnotation(w *bufio.Writer, f finding.Finding) {
	var props []string
	if f.File != "" {
		props = append(props, "file="+githubProperty(f.File))
	}
	props = append(props, githubPosition(f)...)
	title := f.RuleID
	if f.Title != "" {
		title += " " + f.Title
	}
	props = append(props, "title="+githubProperty(title))
	fmt.Fprintf(w, "::%s %s::%s\n", githubCommand(f.Severity), strings.Join(props, ","), githubData(githubMessage(f)+relatedSuffix(f)))
}

// writeLogLines prints findings as plain log lines, "  severity rule message
// (location)", with the continuation lines of a multi-line message indented.
// The text is shown as it is (only terminal control characters are escaped),
// so the runner must not read it as commands: the lines are wrapped in
// ::stop-commands::TOKEN ... ::TOKEN::, the way GitHub documents for
// untrusted output. TOKEN is the SHA-256 of the lines themselves: the output
// stays deterministic, and no text can contain the token that ends it.
func writeLogLines(w *bufio.Writer, fs []finding.Finding) {
	var b strings.Builder
	for _, f := range fs {
		text := fmt.Sprintf("%s %s %s", f.Severity, f.RuleID, githubMessage(f))
		if loc := f.Location().String(); loc != "" {
			text += " (" + loc + ")"
		}
		b.WriteString("  " + strings.ReplaceAll(termtext.Sanitize(text), "\n", "\n    ") + "\n")
	}
	sum := sha256.Sum256([]byte(b.String()))
	token := hex.EncodeToString(sum[:])
	fmt.Fprintf(w, "::stop-commands::%s\n%s::%s::\n", token, b.String(), token)
}

// leftOutNotice is the text of the final notice: how many findings were not
// annotated and where all of them are.
func leftOutNotice(n, limit int, reportFiles []string) string {
	s := fmt.Sprintf("kforge: %s not annotated (GitHub shows %s of each kind per step): the job log lists them",
		plural(n, "finding"), plural(limit, "annotation"))
	if len(reportFiles) > 0 {
		s += "; the full report is in " + strings.Join(reportFiles, ", ")
	}
	return s
}

func githubCommand(severity finding.Severity) string {
	switch severity {
	case finding.SeverityError:
		return "error"
	case finding.SeverityWarning:
		return "warning"
	}
	return "notice"
}

// githubMessage is "environment: resource: message".
func githubMessage(f finding.Finding) string {
	s := environmentsText(f) + ": "
	if res := f.Resource.String(); res != "" {
		s += res + ": "
	}
	return s + f.Message
}

// githubData escapes a command's message the way the Actions runner
// unescapes it; other control characters are shown as \xNN.
func githubData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(termtext.Escape(s))
}

// githubProperty escapes a command property value; : and , delimit properties.
func githubProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(termtext.Escape(s))
}
