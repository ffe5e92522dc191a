package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/golden"
)

// DriftTextOptions tune [WriteDriftText].
type DriftTextOptions struct {
	// Hint ends the output with the command that fixes the drift (for golden check).
	Hint bool
	// ShowClean lists environments without drift as "<dir>: no drift".
	ShowClean bool
}

// WriteDriftText writes the drift of each environment for a terminal or CI log: a summary line per
// environment, then one line per resource ("+ added", "- removed", "~ changed" followed by its
// unified diff, "! unexpected" with the reason) and, with opts.Hint, a final line saying how to
// fix it: run 'kforge golden update <env>...' (or 'make golden').
func WriteDriftText(w io.Writer, drifts []drift.Drift, opts DriftTextOptions) error {
	bw := bufio.NewWriter(w)
	var drifted []string
	for _, d := range drifts {
		if d.Clean() {
			if opts.ShowClean {
				bw.WriteString(golden.QuoteName(d.Target.Dir) + ": no drift\n")
			}
			continue
		}
		drifted = append(drifted, d.Target.EnvName())
		bw.WriteString(golden.QuoteName(d.Target.Dir) + ": " + d.Summary() + "\n")
		for _, e := range d.Entries {
			writeDriftEntry(bw, e)
		}
	}
	if opts.Hint && len(drifted) > 0 {
		bw.WriteString(drift.FixHint(drifted) + "\n")
	}
	return bw.Flush()
}

func writeDriftEntry(w *bufio.Writer, e drift.Entry) {
	where := ""
	if e.Resource != "" {
		where = " (" + golden.QuoteName(e.Path) + ")"
	}
	switch e.Change {
	case drift.Added:
		w.WriteString("  + " + golden.QuoteName(e.Name()) + where + "\n")
	case drift.Removed:
		w.WriteString("  - " + golden.QuoteName(e.Name()) + where + "\n")
	case drift.Changed:
		note := ""
		if e.Masked {
			note = " [Secret values masked]"
		}
		w.WriteString("  ~ " + golden.QuoteName(e.Name()) + where + note + "\n")
		if e.Reason != "" {
			w.WriteString("    " + e.Reason + "\n")
		}
		w.WriteString(quoteDiffLines(e.Diff))
	case drift.UnexpectedEntry:
		w.WriteString("  ! " + golden.QuoteName(e.Path) + ": " + e.Reason + "\n")
	}
}

// quoteDiffLines escapes the lines of a diff that hold control characters (other than tabs and
// the line breaks between them) or invalid UTF-8, Go-style (\x1b, \r), so that file content
// cannot send terminal escape sequences.
func quoteDiffLines(diff string) string {
	if !strings.ContainsFunc(diff, diffControl) && utf8.ValidString(diff) {
		return diff
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(diff, "\n") {
		body := strings.TrimSuffix(line, "\n")
		if !utf8.ValidString(body) || strings.ContainsFunc(body, diffControl) {
			q := strconv.Quote(body)
			body = q[1 : len(q)-1]
		}
		b.WriteString(body)
		if strings.HasSuffix(line, "\n") {
			b.WriteString("\n")
		}
	}
	return b.String()
}

// diffControl reports what quoteDiffLines escapes: a control character of [isControl], a
// carriage return, or a Unicode line or paragraph separator.
func diffControl(r rune) bool {
	return isControl(r) || r == '\r' || r == '\u2028' || r == '\u2029'
}
