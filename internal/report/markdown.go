package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/termtext"
)

// markdownLimit is GitHub's limit for a comment body, in characters; the
// writer counts bytes, which is never less.
const markdownLimit = 65536

// markdownReserve keeps room for the truncation notice and closing tags.
const markdownReserve = 512

// WriteMarkdown renders the report as a pull-request comment: a heading with
// the totals, a summary table with one row per environment, then, per
// environment with findings, a collapsible section with a table of its
// findings. A run that could not validate an environment (a KF-RUN-* finding) is "❌ failed"
// and the table marks the environment "not validated". The output stays under opts.MaxMarkdownBytes (default 65,536,
// GitHub's comment limit): findings that do not fit are left out and a
// notice says how many. Table cells escape |, <, >, &, backticks and
// backslashes, and turn newlines into <br>, so no message can break the table
// or inject HTML. Paths are prefixed with opts.PathPrefix.
func WriteMarkdown(w io.Writer, r Report, opts Options) error {
	r = r.normalized().withPathPrefix(opts.PathPrefix)
	limit := opts.MaxMarkdownBytes
	if limit <= 0 {
		limit = markdownLimit
	}
	m := &mdWriter{limit: limit - markdownReserve}
	s := r.Summary()

	status := "✅ passed"
	switch {
	case s.Errors > 0 || r.Failed() || (opts.FailOnWarning && s.Warnings > 0):
		status = "❌ failed"
	case s.Warnings > 0:
		status = "⚠️ passed with warnings"
	}
	m.line(fmt.Sprintf("## %s policy report: %s\n", mdText(firstNonEmpty(r.Tool, "kforge")), status), "")
	m.line(mdText(summaryText(s)), "")
	if len(r.Environments) > 0 {
		m.line("\n| Environment | Tier | Resources | Errors | Warnings | Info |\n| --- | --- | ---: | ---: | ---: | ---: |", "")
	}
	for _, e := range r.Environments {
		c := e.Counts()
		m.line(fmt.Sprintf("| %s | %s | %d | %d | %d | %d |", mdCell(e.Name)+mdNotValidated(e), mdCell(e.Tier), e.Resources, c.Errors, c.Warnings, c.Infos), "")
	}

	const closing = "\n</details>\n"
	for _, e := range r.Environments {
		if len(e.Findings) == 0 || m.truncated {
			continue
		}
		open := fmt.Sprintf("\n<details%s>\n<summary><b>%s</b>: %s</summary>\n\n| Severity | Rule | Resource | Message |\n| --- | --- | --- | --- |",
			openAttr(e.Counts()), mdText(e.Name), mdText(countsText(e.Counts())))
		if !m.line(open, closing) {
			break
		}
		for _, f := range e.Findings {
			msg := mdCell(f.Message)
			if f.Title != "" {
				msg = "**" + mdCell(f.Title) + "**: " + msg
			}
			if f.File != "" {
				msg += "<br>" + mdCell(f.Location().String())
			}
			if len(f.Environments) > 1 {
				msg += "<br>Environments: " + mdCell(environmentsText(f))
			}
			for _, n := range relatedNotes(f) {
				msg += "<br>" + mdCell(n)
			}
			row := fmt.Sprintf("| %s | %s | %s | %s |", severityBadge(f.Severity), mdCell(f.RuleID), mdCell(subject(f)), msg)
			if !m.line(row, closing) {
				break
			}
			m.shown++
		}
		m.b.WriteString(closing)
	}
	if m.truncated {
		fmt.Fprintf(&m.b, "\n> [!WARNING]\n> Truncated: %d of %d findings are not shown, to keep this comment under %d characters. The job log has the full report.\n",
			s.Total()-m.shown, s.Total(), limit)
	}
	_, err := io.WriteString(w, m.b.String())
	if err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// mdWriter appends lines while they fit in the byte budget.
type mdWriter struct {
	b         strings.Builder
	limit     int
	shown     int
	truncated bool
}

// line appends s and a newline if, with the pending closing text, it fits;
// otherwise it marks the output truncated and returns false.
func (m *mdWriter) line(s, closing string) bool {
	if m.truncated {
		return false
	}
	if m.b.Len()+len(s)+1+len(closing) > m.limit {
		m.truncated = true
		return false
	}
	m.b.WriteString(s)
	m.b.WriteByte('\n')
	return true
}

// openAttr expands the details of environments with errors.
func openAttr(c Counts) string {
	if c.Errors > 0 {
		return " open"
	}
	return ""
}

func severityBadge(s finding.Severity) string {
	switch s {
	case finding.SeverityError:
		return "❌ error"
	case finding.SeverityWarning:
		return "⚠️ warning"
	}
	return "ℹ️ info"
}

// mdCell escapes text for a GitHub-flavoured Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdText escapes text for Markdown and inline HTML: characters that start
// HTML or code spans become entities, backslashes too (so a message cannot
// escape the pipe escaping), newlines become <br>, other control characters
// are dropped.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '`':
			b.WriteString("&#96;")
		case '\\':
			b.WriteString("&#92;")
		case '\n':
			b.WriteString("<br>")
		case '\r':
		case '\t':
			b.WriteByte(' ')
		default:
			if !termtext.IsControl(r) {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}
