package report

import (
	"bufio"
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
//	::error file=golden/prod/apps/virtualservice-order-service.yaml,title=KF-CANARY-003 Canary weight within the tier cap::environments/prod: VirtualService apps/order-service: spec.http[1].route[1].weight sends 20%25 to canary subset "canary"; the prod tier caps canary traffic at 10%25
//
// Errors become ::error, warnings ::warning, info ::notice. GitHub shows at
// most 10 annotations of each kind per step, so only the first
// opts.MaxAnnotations (default 10) of each are annotated; the rest are
// listed as plain log lines after a count, and a summary line ends the
// output. Messages are escaped as the runner expects (%, CR, LF; in
// properties also : and ,), so no finding can inject a command.
func WriteGitHub(w io.Writer, r Report, opts Options) error {
	r = r.normalized()
	limit := opts.MaxAnnotations
	if limit <= 0 {
		limit = githubAnnotationLimit
	}
	bw := bufio.NewWriter(w)
	annotated := map[string]int{}
	var rest []finding.Finding
	var restCounts Counts
	for _, e := range r.Environments {
		for _, f := range e.Findings {
			cmd := githubCommand(f.Severity)
			if annotated[cmd] >= limit {
				rest = append(rest, f)
				restCounts.add(f.Severity)
				continue
			}
			annotated[cmd]++
			var props []string
			if f.File != "" {
				props = append(props, "file="+githubProperty(f.File))
				props = append(props, githubLineProps(f)...)
			}
			title := f.RuleID
			if f.Title != "" {
				title += " " + f.Title
			}
			props = append(props, "title="+githubProperty(title))
			fmt.Fprintf(bw, "::%s %s::%s\n", cmd, strings.Join(props, ","), githubData(githubMessage(f)))
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(bw, "kforge: %s not annotated (annotations are limited to %d of each kind per step):\n", countsText(restCounts), limit)
		for _, f := range rest {
			line := fmt.Sprintf("  %s %s %s", f.Severity, f.RuleID, githubMessage(f))
			if f.File != "" {
				line += " (" + f.File + ")"
			}
			fmt.Fprintln(bw, githubData(line))
		}
	}
	fmt.Fprintln(bw, githubData("kforge: "+summaryText(r.Summary())))
	return bw.Flush()
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
