package report

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/termtext"
)

// GitHubCommentLimit is the longest pull-request comment GitHub accepts, in characters.
const GitHubCommentLimit = markdownLimit

// minDriftMarkdownLimit is the smallest limit honoured: room for the heading and the notice.
const minDriftMarkdownLimit = 1000

// DriftMarkdownOptions tune [WriteDriftMarkdown].
type DriftMarkdownOptions struct {
	// Title is the heading of the comment; empty means "kforge diff".
	Title string
	// Limit is the maximum length of the output in bytes (which is never less than its length
	// in characters); zero or anything larger than GitHubCommentLimit means GitHubCommentLimit,
	// and anything below minDriftMarkdownLimit means minDriftMarkdownLimit.
	Limit int
	// Hint ends the comment with the command that brings golden/ up to date.
	Hint bool
	// PathPrefix is prepended to the golden directories named, as in [Options].
	PathPrefix string
}

// mdBlock is one piece of the comment; diffs may be left out or cut when space runs out.
type mdBlock struct {
	text   string
	diff   bool
	cutter func(budget int) (string, bool) // a shorter version of a diff block, if one fits
}

// WriteDriftMarkdown writes the drift as a pull-request comment: a heading, one section per
// environment with drift (a table of resources and a collapsible unified diff per changed
// resource, Secret values masked). The output never exceeds the limit: when everything does not
// fit, the tables come first, diffs are included in order while they fit (the first one that
// does not fit is cut), and a notice says what was left out.
func WriteDriftMarkdown(w io.Writer, drifts []drift.Drift, opts DriftMarkdownOptions) error {
	limit := opts.Limit
	if limit <= 0 || limit > GitHubCommentLimit {
		limit = GitHubCommentLimit
	}
	limit = max(limit, minDriftMarkdownLimit)
	title := opts.Title
	if title == "" {
		title = "kforge diff"
	}
	blocks := driftBlocks(drifts, title, opts.Hint, opts.PathPrefix)
	_, err := io.WriteString(w, fitBlocks(blocks, limit))
	return err
}

func driftBlocks(drifts []drift.Drift, title string, hint bool, prefix string) []mdBlock {
	var blocks []mdBlock
	add := func(s string) { blocks = append(blocks, mdBlock{text: s}) }
	add("### " + mdPlain(title) + "\n\n")
	var drifted []string
	for _, d := range drifts {
		if !d.Clean() {
			drifted = append(drifted, d.Target.EnvName())
		}
	}
	if len(drifted) == 0 {
		add(fmt.Sprintf("No changes in the rendered manifests of %d %s.\n", len(drifts), environments(len(drifts))))
		return blocks
	}
	add(fmt.Sprintf("%d of %d %s changed.\n\n", len(drifted), len(drifts), environments(len(drifts))))
	for _, d := range drifts {
		if d.Clean() {
			continue
		}
		add("#### " + mdCode(d.Target.EnvName(), false) + " (" + mdCode(prefixPath(prefix, d.Target.Dir), false) + "): " + d.Summary() + "\n\n")
		add("| | Resource | File |\n|:-:|---|---|\n")
		for _, e := range d.Entries {
			add(driftRow(e))
		}
		add("\n")
		for _, e := range d.Entries {
			if e.Change != drift.Changed {
				continue
			}
			blocks = append(blocks, diffBlock(e))
		}
	}
	if hint {
		add("\nTo update: run " + mdCode(drift.FixCommand(drifted), false) + " (or `make golden`).\n")
	}
	return blocks
}

func driftRow(e drift.Entry) string {
	sign := map[drift.Change]string{drift.Added: "+", drift.Removed: "-", drift.Changed: "~", drift.UnexpectedEntry: "!"}[e.Change]
	res := mdCode(e.Resource, true)
	if e.Resource == "" {
		res = "_" + mdPlain(e.Reason) + "_"
	}
	file := mdCode(e.Path, true)
	if e.Masked {
		file += " (Secret values masked)"
	}
	return "| " + sign + " | " + res + " | " + file + " |\n"
}

func diffBlock(e drift.Entry) mdBlock {
	head := "<details><summary><code>" + html.EscapeString(termtext.Quote(e.Name())) + "</code></summary>\n\n"
	body := termtext.QuoteLines(e.Diff)
	if e.Reason != "" && body == "" {
		return mdBlock{text: head + mdPlain(e.Reason) + "\n\n</details>\n\n", diff: true}
	}
	fence := strings.Repeat("`", max(3, longestRun(body, '`')+1))
	open, closing := fence+"diff\n", fence+"\n\n</details>\n\n"
	cutNote := "… diff cut here to fit the comment\n"
	return mdBlock{
		text: head + open + body + closing,
		diff: true,
		cutter: func(budget int) (string, bool) {
			room := budget - len(head) - len(open) - len(closing) - len(cutNote)
			if room < 200 {
				return "", false
			}
			cut := strings.LastIndexByte(body[:min(room, len(body))], '\n')
			if cut <= 0 {
				return "", false
			}
			return head + open + body[:cut+1] + cutNote + closing, true
		},
	}
}

// fitBlocks joins blocks within limit bytes, as described on WriteDriftMarkdown.
func fitBlocks(blocks []mdBlock, limit int) string {
	total := 0
	for _, b := range blocks {
		total += len(b.text)
	}
	if total <= limit {
		var sb strings.Builder
		for _, b := range blocks {
			sb.WriteString(b.text)
		}
		return sb.String()
	}
	diffs := 0
	for _, b := range blocks {
		if b.diff {
			diffs++
		}
	}
	notice := func(shown int) string {
		return fmt.Sprintf("\n> [!NOTE]\n> Output truncated to stay within GitHub's %d-character comment limit: %d of %d diffs shown in full. Run `kforge diff` locally for everything.\n", GitHubCommentLimit, shown, diffs)
	}
	budget := limit - len(notice(diffs)) - 16
	out := make([]string, len(blocks))
	used := 0
	tablesFit := true
	for i, b := range blocks {
		if b.diff {
			continue
		}
		if used+len(b.text) > budget {
			tablesFit = false
			break
		}
		out[i] = b.text
		used += len(b.text)
	}
	full := 0
	for i, b := range blocks {
		if !b.diff || !tablesFit {
			continue
		}
		if used+len(b.text) <= budget {
			out[i] = b.text
			used += len(b.text)
			full++
			continue
		}
		if b.cutter != nil {
			if s, ok := b.cutter(budget - used); ok {
				out[i] = s
			}
		}
		break
	}
	return strings.Join(out, "") + notice(full)
}

// mdCode renders s as a code span; inTable also escapes pipes, which GitHub would otherwise take
// as cell separators even inside code.
func mdCode(s string, inTable bool) string {
	s = termtext.Quote(s)
	if s == "" {
		return ""
	}
	fence := strings.Repeat("`", longestRun(s, '`')+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	return fence + s + fence
}

// mdPlain escapes Markdown and HTML in plain text with backslashes, after quoting it like a name.
func mdPlain(s string) string {
	var b strings.Builder
	for _, r := range termtext.Quote(s) {
		if strings.ContainsRune("\\`*_{}[]()<>#+-.!|~&", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// longestRun is the length of the longest run of c in s.
func longestRun(s string, c byte) int {
	best, cur := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			cur++
			best = max(best, cur)
		} else {
			cur = 0
		}
	}
	return best
}

// environments is the noun for n environments.
func environments(n int) string {
	if n == 1 {
		return "environment"
	}
	return "environments"
}
