package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/termtext"
)

// ANSI escape sequences used when Options.Color is set.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
	ansiGreen  = "\x1b[32m"
)

// WriteText renders the report for people, grouped by environment:
//
//	environments/prod (prod): 212 resources, 1 error
//	  error    KF-CANARY-003  VirtualService apps/order-service
//	           Canary weight within the tier cap: canary weight 20 exceeds the prod cap of 10
//	           at golden/prod/apps/virtualservice-order-service.yaml
//
//	2 environments, 215 resources: 1 error
//
// Colours are used only when opts.Color is set. Messages are sanitised so
// a policy cannot send escape sequences to the terminal.
func WriteText(w io.Writer, r Report, opts Options) error {
	r = r.normalized()
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color || s == "" {
			return s
		}
		return code + s + ansiReset
	}
	for _, e := range r.Environments {
		c := e.Counts()
		header := termtext.Sanitize(e.Name)
		if e.Tier != "" {
			header += " (" + termtext.Sanitize(e.Tier) + ")"
		}
		status := envCountsText(e)
		if c.Total() == 0 && !e.notValidated() {
			status = paint(ansiGreen, status)
		}
		fmt.Fprintf(bw, "%s: %s, %s\n", paint(ansiBold, header), resourcesText(e), status)
		for _, f := range e.Findings {
			sev := fmt.Sprintf("%-7s", f.Severity)
			fmt.Fprintf(bw, "  %s  %s  %s\n", paint(severityColor(f.Severity), sev), termtext.Sanitize(f.RuleID), termtext.Sanitize(subject(f)))
			msg := termtext.Sanitize(f.Message)
			if f.Title != "" {
				msg = termtext.Sanitize(f.Title) + ": " + msg
			}
			for line := range strings.SplitSeq(msg, "\n") {
				fmt.Fprintf(bw, "           %s\n", line)
			}
			if f.File != "" {
				fmt.Fprintf(bw, "           %s\n", paint(ansiDim, "at "+termtext.Sanitize(f.Location().String())))
			}
			if len(f.Environments) > 1 {
				fmt.Fprintf(bw, "           %s\n", paint(ansiDim, "in "+termtext.Sanitize(environmentsText(f))))
			}
			for _, n := range relatedNotes(f) {
				fmt.Fprintf(bw, "           %s\n", paint(ansiDim, termtext.Sanitize(n)))
			}
		}
	}
	s := r.Summary()
	line := summaryText(s)
	switch {
	case s.Errors > 0 || s.NotValidated > 0:
		line = paint(ansiRed, line)
	case s.Warnings > 0:
		line = paint(ansiYellow, line)
	default:
		line = paint(ansiGreen, line)
	}
	if len(r.Environments) > 0 {
		fmt.Fprintln(bw)
	}
	fmt.Fprintln(bw, line)
	return bw.Flush()
}

func severityColor(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return ansiRed
	case finding.SeverityWarning:
		return ansiYellow
	}
	return ansiCyan
}
