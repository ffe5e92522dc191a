package golden

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextOptions tune [WriteText].
type TextOptions struct {
	// Hint ends the output with the command that fixes the drift (for golden check).
	Hint bool
	// ShowClean lists environments without drift as "<dir>: no drift".
	ShowClean bool
}

// WriteText writes the drift of each environment for a terminal or CI log: a summary line per
// environment, then one line per resource ("+ added", "- removed", "~ changed" followed by its
// unified diff, "! unexpected" with the reason) and, with opts.Hint, a final line saying how to
// fix it: run 'kforge golden update <env>...' (or 'make golden').
func WriteText(w io.Writer, drifts []Drift, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	var drifted []string
	for _, d := range drifts {
		if d.Clean() {
			if opts.ShowClean {
				bw.WriteString(safe(d.Target.Dir) + ": no drift\n")
			}
			continue
		}
		drifted = append(drifted, d.Target.EnvName())
		bw.WriteString(safe(d.Target.Dir) + ": " + d.Summary() + "\n")
		for _, e := range d.Entries {
			writeTextEntry(bw, e)
		}
	}
	if opts.Hint && len(drifted) > 0 {
		bw.WriteString(FixHint(drifted) + "\n")
	}
	return bw.Flush()
}

func writeTextEntry(w *bufio.Writer, e Entry) {
	where := ""
	if e.Resource != "" {
		where = " (" + safe(e.Path) + ")"
	}
	switch e.Change {
	case Added:
		w.WriteString("  + " + safe(e.Name()) + where + "\n")
	case Removed:
		w.WriteString("  - " + safe(e.Name()) + where + "\n")
	case Changed:
		note := ""
		if e.Masked {
			note = " [Secret values masked]"
		}
		w.WriteString("  ~ " + safe(e.Name()) + where + note + "\n")
		if e.Reason != "" {
			w.WriteString("    " + e.Reason + "\n")
		}
		w.WriteString(safeDiff(e.Diff))
	case UnexpectedEntry:
		w.WriteString("  ! " + safe(e.Path) + ": " + e.Reason + "\n")
	}
}

// FixHint is the sentence that says how to bring the golden directories of envs up to date.
func FixHint(envs []string) string {
	return "run '" + fixCommand(envs) + "' (or 'make golden')"
}

// fixCommand is the kforge command line that updates the golden directories of envs.
func fixCommand(envs []string) string {
	quoted := make([]string, len(envs))
	for i, e := range envs {
		quoted[i] = shellWord(e)
	}
	return "kforge golden update " + strings.Join(quoted, " ")
}

// shellWord returns s, double-quoted when it holds anything but safe characters.
func shellWord(s string) string {
	for _, r := range s {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("-_./:@+=", r)) {
			return strconv.Quote(s)
		}
	}
	if s == "" {
		return `""`
	}
	return s
}

// safe quotes s when it holds control characters or invalid UTF-8, so that a hostile file name
// cannot forge lines or terminal escapes in the output.
func safe(s string) string {
	if !utf8.ValidString(s) || strings.IndexFunc(s, isControl) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

func isControl(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029'
}

// safeDiff escapes control characters (other than the line breaks) in a diff's lines, so that
// file content cannot send terminal escape sequences.
func safeDiff(diff string) string {
	if strings.IndexFunc(diff, func(r rune) bool { return r != '\n' && r != '\t' && isControl(r) }) < 0 && utf8.ValidString(diff) {
		return diff
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(diff, "\n") {
		body := strings.TrimSuffix(line, "\n")
		if !utf8.ValidString(body) || strings.IndexFunc(body, func(r rune) bool { return r != '\t' && isControl(r) }) >= 0 {
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
