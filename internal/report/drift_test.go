package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/termtext"
)

func sampleDrift() drift.Drift {
	tgt := golden.Target{Dir: "golden/prod", Env: "prod"}
	old := golden.Tree{
		Files: []golden.File{
			deployment("api", "api:1"),
			deployment("old", "old:1"),
		},
		Unexpected: []golden.Unexpected{{Path: "README.md", Reason: "not a .yaml file"}},
	}
	return drift.DiffSets(tgt, old, []golden.File{deployment("api", "api:2"), deployment("new", "new:1")})
}

func TestWriteDriftText(t *testing.T) {
	clean := drift.Drift{Target: golden.Target{Dir: "golden/dev"}}
	tests := []struct {
		name   string
		drifts []drift.Drift
		opts   DriftTextOptions
		want   string
	}{
		{
			name:   "drift with hint",
			drifts: []drift.Drift{clean, sampleDrift()},
			opts:   DriftTextOptions{Hint: true, ShowClean: true},
			want: `golden/dev: no drift
golden/prod: 1 added, 1 removed, 1 changed, 1 unexpected
  ! README.md: not a .yaml file
  ~ apps/Deployment/apps/api (apps/deployment-api.yaml)
--- a/golden/prod/apps/deployment-api.yaml
+++ b/golden/prod/apps/deployment-api.yaml
@@ -7,5 +7,5 @@
   template:
     spec:
       containers:
-      - image: api:1
+      - image: api:2
         name: app
  + apps/Deployment/apps/new (apps/deployment-new.yaml)
  - apps/Deployment/apps/old (apps/deployment-old.yaml)
run 'kforge golden update prod' (or 'make golden')
`,
		},
		{name: "clean without ShowClean", drifts: []drift.Drift{clean}, opts: DriftTextOptions{Hint: true}, want: ""},
		{
			name:   "hostile names are quoted",
			drifts: []drift.Drift{{Target: golden.Target{Dir: "golden/x", Env: "x y"}, Entries: []drift.Entry{{Change: drift.UnexpectedEntry, Path: "a\x1b[2Jb", Reason: "hidden entry"}}}},
			opts:   DriftTextOptions{Hint: true},
			want:   "golden/x: 1 unexpected\n  ! \"a\\x1b[2Jb\": hidden entry\nrun 'kforge golden update \"x y\"' (or 'make golden')\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteDriftText(&buf, tt.drifts, tt.opts); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", buf.String(), tt.want)
			}
		})
	}
}

func TestQuoteDiffLinesEscapesTerminalSequences(t *testing.T) {
	got := termtext.QuoteLines("+ok\n+bad \x1b[31mred\r\n")
	if want := "+ok\n+bad \\x1b[31mred\\r\n"; got != want {
		t.Errorf("quoteDiffLines = %q, want %q", got, want)
	}
}

func TestWriteDriftMarkdown(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDriftMarkdown(&buf, []drift.Drift{sampleDrift()}, DriftMarkdownOptions{Hint: true}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"### kforge diff\n",
		"1 of 1 environment changed.",
		"#### `prod` (`golden/prod`): 1 added, 1 removed, 1 changed, 1 unexpected",
		"| + | `apps/Deployment/apps/new` | `apps/deployment-new.yaml` |",
		"| ! | _not a \\.yaml file_ | `README.md` |",
		"<details><summary><code>apps/Deployment/apps/api</code></summary>\n\n```diff\n--- a/golden/prod/apps/deployment-api.yaml\n",
		"To update: run `kforge golden update prod` (or `make golden`).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "truncated") {
		t.Errorf("small output was truncated:\n%s", out)
	}
}

func TestWriteDriftMarkdownClean(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDriftMarkdown(&buf, []drift.Drift{{Target: golden.Target{Dir: "golden/dev"}}}, DriftMarkdownOptions{Title: "Rendered changes"}); err != nil {
		t.Fatal(err)
	}
	if want := "### Rendered changes\n\nNo changes in the rendered manifests of 1 environment.\n"; buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestWriteDriftMarkdownEscaping(t *testing.T) {
	d := drift.Drift{Target: golden.Target{Dir: "golden/p|x", Env: "p|x"}, Entries: []drift.Entry{
		{Change: drift.Added, Path: "a|b.yaml", Resource: "core/ConfigMap/apps/a`b"},
		{Change: drift.Changed, Path: "c.yaml", Resource: "core/ConfigMap/apps/<script>", Diff: "--- a\n+++ b\n@@ -1 +1 @@\n-```\n+````\n"},
	}}
	var buf bytes.Buffer
	if err := WriteDriftMarkdown(&buf, []drift.Drift{d}, DriftMarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		"| + | ``core/ConfigMap/apps/a`b`` | `a\\|b.yaml` |",
		"<summary><code>core/ConfigMap/apps/&lt;script&gt;</code></summary>",
		"`````diff\n--- a\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
}

func TestWriteDriftMarkdownLimit(t *testing.T) {
	big := func(n int) drift.Drift {
		d := drift.Drift{Target: golden.Target{Dir: fmt.Sprintf("golden/env%d", n)}}
		for i := range 30 {
			var diff strings.Builder
			diff.WriteString("--- a/x\n+++ b/x\n@@ -1,400 +1,400 @@\n")
			for j := range 400 {
				fmt.Fprintf(&diff, "-old line %d of file %d\n+new line %d of file %d\n", j, i, j, i)
			}
			d.Entries = append(d.Entries, drift.Entry{Change: drift.Changed, Path: fmt.Sprintf("apps/cm-%d.yaml", i), Resource: fmt.Sprintf("core/ConfigMap/apps/cm-%d", i), Diff: diff.String()})
		}
		return d
	}
	tests := []struct {
		name   string
		drifts []drift.Drift
		limit  int
	}{
		{"default limit", []drift.Drift{big(1), big(2)}, 0},
		{"small limit", []drift.Drift{big(1)}, 5000},
		{"limit below the minimum", []drift.Drift{big(1)}, 10},
		{"limit above GitHub's is capped", []drift.Drift{big(1), big(2), big(3)}, 1 << 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteDriftMarkdown(&buf, tt.drifts, DriftMarkdownOptions{Limit: tt.limit, Hint: true}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			limit := tt.limit
			if limit == 0 || limit > GitHubCommentLimit {
				limit = GitHubCommentLimit
			}
			limit = max(limit, minDriftMarkdownLimit)
			if len(out) > limit {
				t.Errorf("output is %d bytes, limit %d", len(out), limit)
			}
			if !strings.Contains(out, "Output truncated to stay within GitHub's 65536-character comment limit") {
				t.Errorf("no truncation notice:\n%s", out[len(out)-300:])
			}
			if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
				t.Error("unbalanced <details>")
			}
			if strings.Count(out, "```diff")*2 != strings.Count(out, "```") {
				t.Error("unbalanced code fences")
			}
		})
	}
}

func TestWriteDriftMarkdownTablesTooLong(t *testing.T) {
	d := drift.Drift{Target: golden.Target{Dir: "golden/huge"}}
	for i := range 5000 {
		d.Entries = append(d.Entries, drift.Entry{Change: drift.Added, Path: fmt.Sprintf("apps/configmap-%05d.yaml", i), Resource: fmt.Sprintf("core/ConfigMap/apps/configmap-%05d", i)})
	}
	var buf bytes.Buffer
	if err := WriteDriftMarkdown(&buf, []drift.Drift{d}, DriftMarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > GitHubCommentLimit || !strings.Contains(buf.String(), "Output truncated") {
		t.Errorf("len %d, notice present %v", buf.Len(), strings.Contains(buf.String(), "Output truncated"))
	}
}

// FuzzWriteDriftMarkdown checks that any names and diffs give a comment within the limit, with
// balanced details blocks and no raw control characters.
func FuzzWriteDriftMarkdown(f *testing.F) {
	f.Add("prod", "apps/x.yaml", "core/ConfigMap/apps/x", "--- a\n+++ b\n@@ -1 +1 @@\n-a\n+b\n", 2000)
	f.Add("p|x", "a`b|c.yaml", "<script>", "```\n~~~\n", 300)
	f.Add("e", "\x1b[2J", "r\n#", "\x00\r\n", 65536)
	f.Fuzz(func(t *testing.T, env, p, res, diff string, limit int) {
		d := drift.Drift{Target: golden.Target{Dir: "golden/" + env, Env: env}, Entries: []drift.Entry{
			{Change: drift.Added, Path: p, Resource: res},
			{Change: drift.Changed, Path: p + "2", Resource: res, Diff: diff},
			{Change: drift.UnexpectedEntry, Path: p + "3", Reason: res},
		}}
		var buf strings.Builder
		if err := WriteDriftMarkdown(&buf, []drift.Drift{d, d}, DriftMarkdownOptions{Limit: limit, Hint: true}); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		lim := limit
		if lim <= 0 || lim > GitHubCommentLimit {
			lim = GitHubCommentLimit
		}
		lim = max(lim, minDriftMarkdownLimit)
		if len(out) > lim {
			t.Fatalf("output %d bytes, limit %d", len(out), lim)
		}
		if strings.Count(out, "<details>") != strings.Count(out, "</details>") {
			t.Fatal("unbalanced details")
		}
		if strings.ContainsFunc(out, func(r rune) bool { return r != '\n' && r != '\t' && termtext.IsControl(r) }) {
			t.Fatalf("raw control character in %q", out)
		}
	})
}

// deployment is a golden file of a Deployment in namespace apps.
func deployment(name, image string) golden.File {
	p, res, content := goldentest.Deployment(name, image)
	return golden.File{Path: p, Content: content, Resource: res, Kind: "Deployment"}
}
