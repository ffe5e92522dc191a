package report

import (
	"bufio"
	"io"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/termtext"
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
				bw.WriteString(termtext.Quote(d.Target.Dir) + ": no drift\n")
			}
			continue
		}
		drifted = append(drifted, d.Target.EnvName())
		bw.WriteString(termtext.Quote(d.Target.Dir) + ": " + d.Summary() + "\n")
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
		where = " (" + termtext.Quote(e.Path) + ")"
	}
	switch e.Change {
	case drift.Added:
		w.WriteString("  + " + termtext.Quote(e.Name()) + where + "\n")
	case drift.Removed:
		w.WriteString("  - " + termtext.Quote(e.Name()) + where + "\n")
	case drift.Changed:
		note := ""
		if e.Masked {
			note = " [Secret values masked]"
		}
		w.WriteString("  ~ " + termtext.Quote(e.Name()) + where + note + "\n")
		if e.Reason != "" {
			w.WriteString("    " + e.Reason + "\n")
		}
		w.WriteString(termtext.QuoteLines(e.Diff))
	case drift.UnexpectedEntry:
		w.WriteString("  ! " + termtext.Quote(e.Path) + ": " + e.Reason + "\n")
	}
}
