package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/termtext"
)

// fuzzReport builds a report from untrusted strings: everything a policy, a manifest or an
// environment name can put into a finding. n findings share the strings, each message numbered.
func fuzzReport(env, rule, title, msg, file, kind, name string, sev uint8, n int) Report {
	severities := []finding.Severity{finding.SeverityError, finding.SeverityWarning, finding.SeverityInfo}
	var fs []finding.Finding
	for i := range n {
		fs = append(fs, finding.Finding{
			RuleID:      rule,
			Severity:    severities[(int(sev)+i)%3],
			Title:       title,
			Message:     fmt.Sprintf("%s #%d", msg, i),
			Environment: env,
			Resource:    finding.ResourceRef{APIVersion: "v1", Kind: kind, Namespace: "ns", Name: name},
			File:        file,
			Source:      "policies/p.rego",
		})
	}
	return Report{Tool: "kforge", Version: "v0", Environments: []EnvironmentResult{{Name: env, Tier: "prod", Entrypoint: "environments/x/main.jsonnet", Resources: 3, Findings: fs}}}
}

// addFuzzSeeds adds hostile seeds shared by the report targets.
func addFuzzSeeds(f *testing.F) {
	f.Add("environments/prod", "KF-1", "Title", "plain message", "golden/prod/x.yaml", "ConfigMap", "x", uint8(0))
	f.Add("env\n::error::injected", "R,1:2", "t%0A::warning::x", "line1\nline2\r\n::set-output name=x::y", "a,b:c.yaml", "K|ind", "n`a`me", uint8(1))
	f.Add("e|nv", "R|1", "<script>alert(1)</script>", "| a | b |\n| --- | --- |\n<img src=x onerror=alert(1)>", "f<b>.yaml", "Kind", "\\|", uint8(2))
	f.Add("e", "r", "t", "\x1b[31mred\x1b[0m \x00 \x7f \u0085 \u2028 \ufeff", "f", "k", "n", uint8(0))
	f.Add("e", "r", "t", "]]></failure><x>&amp;", "f\"", "k'", "n&", uint8(1))
	f.Add("e", "r", "t", "%25%0A%0D%3A%2C", "%", "k", "n", uint8(2))
}

// FuzzGitHubAnnotations checks that no finding can inject a workflow command. It reads the
// output as the Actions runner does: outside a ::stop-commands:: section every line that is a
// command (after leading white space) is one the writer meant, an annotation per annotated
// finding whose properties hold no unescaped ':' or ',', and the final notice; inside the
// section only its exact end token counts, and each finding left out is one line (its
// continuation lines indented). No raw carriage return appears; decoding an annotation's message
// gives the finding's text back, and a plain line shows the text as it is.
func FuzzGitHubAnnotations(f *testing.F) {
	addFuzzSeeds(f)
	annotation := regexp.MustCompile(`^::(error|warning|notice) ([^:]*)::(.*)$`)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		for _, n := range []int{1, 12} {
			r := fuzzReport(env, rule, title, msg, file, kind, name, sev, n)
			var b bytes.Buffer
			if err := WriteGitHub(&b, r, Options{MaxAnnotations: 3}); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if strings.ContainsRune(out, '\r') {
				t.Fatalf("raw carriage return in\n%q", out)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			annotated, notices, plain, stops := 0, 0, 0, 0
			var section strings.Builder
			token := ""
			for _, l := range lines {
				if token != "" {
					if l == "::"+token+"::" {
						token = ""
						continue
					}
					section.WriteString(l + "\n")
					switch {
					case strings.HasPrefix(l, "    "):
					case strings.HasPrefix(l, "  ") && l != "  " && l[2] != ' ':
						plain++
					default:
						t.Fatalf("stray line %q in the plain section:\n%s", l, out)
					}
					continue
				}
				trimmed := strings.TrimLeft(l, " \t")
				if !strings.HasPrefix(trimmed, "::") {
					if !strings.HasPrefix(l, "kforge: ") {
						t.Fatalf("unexpected line %q:\n%s", l, out)
					}
					continue
				}
				if tok, ok := strings.CutPrefix(l, "::stop-commands::"); ok {
					token = tok
					stops++
					continue
				}
				if strings.HasPrefix(l, "::notice::kforge: ") {
					notices++
					continue
				}
				annotated++
				m := annotation.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("malformed annotation %q", l)
				}
				for _, prop := range strings.Split(m[2], ",") {
					if k, _, ok := strings.Cut(prop, "="); !ok || (k != "file" && k != "line" && k != "col" && k != "title") {
						t.Fatalf("injected property %q in %q", prop, l)
					}
				}
			}
			if token != "" {
				t.Fatalf("plain section not ended:\n%s", out)
			}
			// Each kind gets at most 3 annotations (notices 2 when one is kept for the final
			// notice); the rest are plain lines in one section, and one notice says so.
			counts := r.Summary().Counts
			noticeLimit := 3
			if counts.Errors > 3 || counts.Warnings > 3 || counts.Infos > 3 {
				noticeLimit = 2
			}
			want := min(counts.Errors, 3) + min(counts.Warnings, 3) + min(counts.Infos, noticeLimit)
			if annotated != want {
				t.Fatalf("%d annotation lines, want %d:\n%s", annotated, want, out)
			}
			rest := n - want
			if plain != rest || notices != boolInt(rest > 0) || stops != boolInt(rest > 0) {
				t.Fatalf("%d plain findings, %d notices, %d sections; want %d left out:\n%s", plain, notices, stops, rest, out)
			}
			fs := annotationOrder(r.normalized())
			if n == 1 {
				m := annotation.FindStringSubmatch(lines[0])
				unescaped := strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(m[3])
				if wantMsg := termtext.Escape(githubMessage(fs[0])); unescaped != wantMsg {
					t.Fatalf("message decodes to %q, want %q", unescaped, wantMsg)
				}
			}
			if rest > 0 {
				last := fs[len(fs)-1]
				shown := strings.ReplaceAll(termtext.Sanitize(githubMessage(last)), "\n", "\n    ")
				if !strings.Contains(section.String(), shown) {
					t.Fatalf("plain section lacks %q:\n%s", shown, out)
				}
			}
		}
	})
}

// allowedTags are the HTML tags the markdown writer itself emits.
var allowedTags = regexp.MustCompile(`<br>|<details( open)?>|</details>|<summary>|</summary>|<b>|</b>`)

// FuzzMarkdownTable checks that no finding can break the pull-request comment: each finding is
// exactly one table row with four cells, no '<' other than the writer's own tags and no
// backtick survive, and the comment stays under its size limit.
func FuzzMarkdownTable(f *testing.F) {
	addFuzzSeeds(f)
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		const limit = 8192
		r := fuzzReport(env, rule, title, msg, file, kind, name, sev, 3)
		var b bytes.Buffer
		if err := WriteMarkdown(&b, r, Options{MaxMarkdownBytes: limit}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if len(out) > limit {
			t.Fatalf("%d bytes, more than the limit of %d", len(out), limit)
		}
		if rest := allowedTags.ReplaceAllString(out, ""); strings.ContainsAny(rest, "<`") {
			t.Fatalf("raw HTML or code span from a finding:\n%s", out)
		}
		rows := 0
		for _, l := range strings.Split(out, "\n") {
			if !strings.HasPrefix(l, "| ") {
				continue
			}
			pipes := len(unescapedPipe.FindAllStringIndex(strings.ReplaceAll(l, "||", "| |"), -1))
			switch {
			case strings.HasPrefix(l, "| ❌") || strings.HasPrefix(l, "| ⚠️") || strings.HasPrefix(l, "| ℹ️"):
				rows++
				if pipes != 5 {
					t.Fatalf("finding row with %d cell separators, want 5: %q", pipes, l)
				}
			case strings.HasPrefix(l, "| Environment") || strings.HasPrefix(l, "| --- | --- | ---:"):
				if pipes != 7 {
					t.Fatalf("summary header with %d separators: %q", pipes, l)
				}
			case strings.HasPrefix(l, "| Severity") || strings.HasPrefix(l, "| --- |"):
				if pipes != 5 {
					t.Fatalf("findings header with %d separators: %q", pipes, l)
				}
			default:
				// The environment's summary row: six cells.
				if pipes != 7 {
					t.Fatalf("summary row with %d cell separators, want 7: %q", pipes, l)
				}
			}
		}
		if !strings.Contains(out, "Truncated") && rows != 3 {
			t.Fatalf("%d finding rows, want 3:\n%s", rows, out)
		}
	})
}

// FuzzSARIF checks that the SARIF log is valid JSON whatever the findings hold, and that each
// result's message and rule id are the finding's own.
func FuzzSARIF(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		r := fuzzReport(env, rule, title, msg, file, kind, name, sev, 1)
		var b bytes.Buffer
		if err := WriteSARIF(&b, r, Options{}); err != nil {
			t.Fatal(err)
		}
		var log struct {
			Runs []struct {
				Results []struct {
					RuleID  string `json:"ruleId"`
					Message struct {
						Text string `json:"text"`
					} `json:"message"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &log); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, b.String())
		}
		if len(log.Runs) != 1 || len(log.Runs[0].Results) != 1 {
			t.Fatalf("want one run with one result:\n%s", b.String())
		}
		res := log.Runs[0].Results[0]
		f0 := r.normalized().Environments[0].Findings[0]
		if res.RuleID != f0.RuleID && utf8.ValidString(f0.RuleID) {
			t.Fatalf("ruleId %q, want %q", res.RuleID, f0.RuleID)
		}
		if want := githubMessage(f0); res.Message.Text != want && utf8.ValidString(want) {
			t.Fatalf("message %q, want %q", res.Message.Text, want)
		}
	})
}

// FuzzJUnit checks that the JUnit XML stays well-formed whatever the findings hold (control
// characters are not allowed in XML at all).
func FuzzJUnit(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		r := fuzzReport(env, rule, title, msg, file, kind, name, sev, 2)
		var b bytes.Buffer
		if err := WriteJUnit(&b, r, Options{FailOnWarning: true}); err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(&b)
		for {
			_, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("malformed XML: %v", err)
			}
		}
	})
}

// FuzzText checks that the text format, written for a terminal, carries no control character
// from a finding (no escape sequence can reach the terminal) and no carriage return.
func FuzzText(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		r := fuzzReport(env, rule, title, msg, file, kind, name, sev, 2)
		var b bytes.Buffer
		if err := WriteText(&b, r, Options{}); err != nil {
			t.Fatal(err)
		}
		for _, c := range b.String() {
			if c != '\n' && c != '\t' && (termtext.IsControl(c) || c == '\r') {
				t.Fatalf("control character %U in\n%q", c, b.String())
			}
		}
	})
}
